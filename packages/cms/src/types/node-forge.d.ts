// node-forge ships no types; kyso uses only its DES and RC2 ciphers (legacy PKCS#12).
declare module 'node-forge' {
  interface ForgeBuffer {
    getBytes(): string;
  }
  interface ForgeCipher {
    start(iv: string): void;
    update(input: ForgeBuffer): void;
    finish(): boolean;
    output: ForgeBuffer;
  }
  interface Forge {
    des: { createDecryptionCipher(key: string): ForgeCipher };
    rc2: { createDecryptionCipher(key: string, bits: number): ForgeCipher };
    util: { createBuffer(bytes: string, encoding?: string): ForgeBuffer };
  }
  const forge: Forge;
  export default forge;
}
