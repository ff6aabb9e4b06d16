import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import * as pdf from '@kyso/pdf';
import * as pdfLib from 'pdf-lib';
import fontkitModule from '@pdf-lib/fontkit';
import { fileURLToPath } from 'node:url';
import * as appearance from '../../../src/appearance/index.js';

/** A scenario's result: the PDF and what was placed. */
export interface ScenarioResult {
  bytes: Uint8Array;
  placement: appearance.Placement;
  appearance: appearance.BuiltAppearance;
  signature?: appearance.VisualRect;
  anchor?: appearance.AnchorMatch;
}
interface ScenarioModule {
  SCENARIOS: Record<string, { run(ctx: unknown): Promise<ScenarioResult>; renders: { name: string; dpi: number; crop?: [number, number, number, number] }[] }>;
  scenarioContext(m: object): Promise<unknown>;
  makeDecisionPdf(o: object): Promise<{ bytes: Uint8Array }>;
  SIGNING_TIME: Date;
  ISSUING_TIME: Date;
}

let mod: Promise<{ S: ScenarioModule; ctx: unknown }> | undefined;

/** The shared scenarios of test-fixtures/appearance/scenarios.mjs, run against the sources. */
export function scenarios(): Promise<{ S: ScenarioModule; ctx: unknown }> {
  mod ??= (async () => {
    const S = (await import(fixturePath('appearance', 'scenarios.mjs'))) as ScenarioModule;
    const root = fileURLToPath(new URL('../../../../../', import.meta.url));
    const fontkit = (fontkitModule as { default?: unknown }).default ?? fontkitModule;
    const ctx = await S.scenarioContext({ root, appearance, pdf, pdfLib, fontkit });
    return { S, ctx };
  })();
  return mod;
}

const cache = new Map<string, Promise<ScenarioResult>>();

/** Runs a scenario once per test file. */
export async function runScenario(name: string): Promise<ScenarioResult> {
  let p = cache.get(name);
  if (!p) {
    p = scenarios().then(({ S, ctx }) => S.SCENARIOS[name]!.run(ctx));
    cache.set(name, p);
  }
  return p;
}

/** A reference image of test-fixtures/appearance/. */
export function reference(name: string): Uint8Array {
  return loadFixture('appearance', `${name}.png`);
}
