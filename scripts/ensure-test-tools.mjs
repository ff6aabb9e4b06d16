// Run by `pnpm test` before the tests: the suite drives real peers (OpenSSL, poppler, qpdf,
// MuPDF, NSS, PostgreSQL, SoftHSM2, Chromium). On a Debian machine where we are root, the
// missing ones are installed from Debian's packages; elsewhere this only says what is missing
// (each test that needs a missing tool then fails and names the package to install).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package → a file or command that shows it is installed. */
const NEEDED = {
  openssl: 'openssl',
  'poppler-utils': 'pdfsig',
  qpdf: 'qpdf',
  'mupdf-tools': 'mutool',
  ghostscript: 'gs',
  'libnss3-tools': 'certutil',
  'fonts-croscore': '/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf',
  postgresql: '/usr/lib/postgresql',
  softhsm2: '/usr/lib/softhsm/libsofthsm2.so',
  opensc: 'pkcs11-tool',
  chromium: '/usr/bin/chromium',
};

const present = (probe) => (probe.startsWith('/') ? existsSync(probe) : spawnSync('sh', ['-c', `command -v ${probe}`]).status === 0);
const missing = Object.entries(NEEDED).filter(([, probe]) => !present(probe)).map(([pkg]) => pkg);

if (missing.length === 0) process.exit(0);
const canInstall = process.platform === 'linux' && process.getuid?.() === 0 && present('apt-get');
if (!canInstall) {
  console.warn(`kyso tests: missing ${missing.join(', ')}; on Debian install them with: apt-get install ${missing.join(' ')}`);
  process.exit(0);
}
console.log(`kyso tests: installing ${missing.join(', ')} from Debian's packages`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
