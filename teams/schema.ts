// Validation of the app manifest against the official Teams manifest JSON schema of its version,
// as shipped in @microsoft/app-manifest (no network: the schema is read from node_modules).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

function schemaFile(version: string): string {
  const pkg = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(pkg, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
}

/** The schema errors of `manifest` ("/path: message"), empty when it is valid. */
export function validateManifest(manifest: unknown): string[] {
  const version = typeof manifest === 'object' && manifest !== null && 'manifestVersion' in manifest ? manifest.manifestVersion : undefined;
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) return ['manifestVersion manque ou n’est pas de la forme 1.17'];
  const schema: unknown = JSON.parse(readFileSync(schemaFile(version), 'utf8'));
  if (typeof schema !== 'object' || schema === null) return [`schéma illisible pour la version ${version}`];
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'}: ${e.message ?? 'invalide'}${'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}
