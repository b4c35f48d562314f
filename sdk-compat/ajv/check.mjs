// Portability check of the kit's JSON Schemas with a second validator: Ajv (ajv 8, Ajv2020, pinned in
// package-lock.json) in strict mode, with ajv-formats, so `format` is asserted as most Ajv users have it.
//   1. every schemas/json/*.schema.json is added under its $id, then compiled: strict mode turns unknown keywords,
//      constraints without a `type`, unknown formats, ambiguous unions and unresolved $refs into errors;
//   2. every golden example (schemas/examples/<valid|invalid>/<schema name>/*.json) gets Ajv's verdict, which must be
//      the one the Java ExamplesTest expects from networknt.
// Usage: node check.mjs [path to the schemas module; default ../../schemas from this file]
// Prints one FAIL line per problem and a closing "N schemas compiled, M samples checked, K failed";
// exits 0 when nothing failed, 1 on any failure, 2 when the schemas module is not where it was said to be.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SUFFIX = ".schema.json";
const here = dirname(fileURLToPath(import.meta.url));
const moduleDir = resolve(process.argv[2] || join(here, "..", "..", "schemas"));
const jsonDir = join(moduleDir, "json");
const examplesDir = join(moduleDir, "examples");
if (!existsSync(jsonDir) || !existsSync(examplesDir)) {
  console.error(`usage: node check.mjs [schemas module dir]; no json/ and examples/ under ${moduleDir}`);
  process.exit(2);
}

const failures = [];
function fail(what, why) {
  failures.push(what);
  console.log(`FAIL ${what}: ${why}`);
}

// Ajv reports some strict-mode findings through its logger rather than by throwing: they count as failures too.
let current = "(setup)";
const logger = {
  log() {},
  warn: (...args) => fail(current, `Ajv warning: ${args.join(" ")}`),
  error: (...args) => fail(current, `Ajv error: ${args.join(" ")}`),
};
// strict: true makes every strict-mode finding an error (by default strictTypes and strictTuples only log). Except
// strictRequired, which Ajv leaves off by default: it cannot see a property declared in the parent schema's
// "properties", so job-status' `then: {required: ["error"]}` would be refused although "error" is declared beside it
// (a known limitation, ajv-validator/ajv#1950).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, logger });
addFormats(ajv);

const dirs = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory()).sort() : []);
const files = (dir) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).sort();

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    fail(what, `not JSON: ${e.message}`);
    return undefined;
  }
}

// 1. add every schema first, so a $ref to another file resolves by its $id whatever the order, then compile each
const ids = new Map(); // schema name -> $id
for (const file of files(jsonDir).filter((f) => f.endsWith(SUFFIX))) {
  const name = file.slice(0, -SUFFIX.length);
  current = `json/${file}`;
  const schema = readJson(join(jsonDir, file), current);
  if (schema === undefined) {
    continue;
  }
  if (typeof schema.$id !== "string") {
    fail(current, "has no $id, so other schemas cannot $ref it");
    continue;
  }
  try {
    ajv.addSchema(schema);
    ids.set(name, schema.$id);
  } catch (e) {
    fail(current, `not added: ${e.message}`);
  }
}
let compiled = 0;
const validators = new Map(); // schema name -> compiled validate function
for (const [name, id] of ids) {
  current = `json/${name}${SUFFIX}`;
  try {
    const validate = ajv.getSchema(id);
    if (!validate) {
      fail(current, `Ajv has no schema under ${id}`);
      continue;
    }
    validators.set(name, validate);
    compiled++;
  } catch (e) {
    fail(current, `does not compile in strict mode: ${e.message}`);
  }
}
if (ids.size === 0) {
  fail("json/", "no *.schema.json file found");
}

// 2. each example must get the verdict its directory states
const describe = (errors) => (errors || []).map((e) => `${e.instancePath || "/"} ${e.keyword}: ${e.message}`).join("; ");
let samples = 0;
for (const kind of ["valid", "invalid"]) {
  for (const name of dirs(join(examplesDir, kind))) {
    for (const file of files(join(examplesDir, kind, name))) {
      current = `examples/${kind}/${name}/${file}`;
      samples++;
      const validate = validators.get(name);
      if (!validate) {
        fail(current, ids.has(name) ? `its schema ${name} did not compile` : `no schema is named ${name}`);
        continue;
      }
      const instance = readJson(join(examplesDir, kind, name, file), current);
      if (instance === undefined) {
        continue;
      }
      const ok = validate(instance);
      if (kind === "valid" && !ok) {
        fail(current, `Ajv rejects this valid example: ${describe(validate.errors)}`);
      } else if (kind === "invalid" && ok) {
        fail(current, "Ajv accepts this invalid example");
      }
    }
  }
}
if (samples === 0) {
  fail("examples/", "no example found");
}

console.log(`${compiled} schemas compiled, ${samples} samples checked, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
