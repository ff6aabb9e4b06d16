// TypeDoc plugin for `pnpm api-docs` (typedoc.json): names each entry point's module after the
// import a user writes — "@kyso/pades/node" rather than "pades/src/node".
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const m = /^([a-z0-9-]+)\/src(?:\/([a-z0-9-]+))?$/.exec(mod.name);
      if (m) mod.name = `@kyso/${m[1]}${m[2] ? `/${m[2]}` : ''}`;
    }
  });
}
