// Validates every Kubernetes object in the given multi-document YAML files against the Kubernetes OpenAPI schemas
// shipped by kubernetes-models (and prometheus-operator's for ServiceMonitor). An object whose apiVersion/kind has
// no schema here fails: nothing passes unchecked.
//
// Usage: node validate.mjs FILE...
// Prints one line per object, "valid <file> <apiVersion> <kind>/<name>" or "invalid ... : <reason>", and exits 1
// when any object is invalid or cannot be checked.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion groups whose models come from a package other than kubernetes-models.
const CUSTOM_RESOURCE_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const pkg = CUSTOM_RESOURCE_PACKAGES[group] ?? "kubernetes-models";
  let module;
  try {
    module = await import(`${pkg}/${apiVersion}`);
  } catch (e) {
    throw new Error(`no schema for apiVersion ${apiVersion} in ${pkg} (${e.code ?? e.message})`);
  }
  const model = module[kind];
  if (typeof model !== "function") {
    throw new Error(`no schema for kind ${kind} in ${pkg}/${apiVersion}`);
  }
  return model;
}

function describe(error) {
  const details = error.errors ?? error.details;
  if (Array.isArray(details) && details.length > 0) {
    return details.map((d) => `${d.instancePath || "/"} ${d.message}`).join("; ");
  }
  return error.message;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE...");
  process.exit(2);
}

let failures = 0;
for (const file of files) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  for (const document of documents) {
    if (document.errors.length > 0) {
      failures++;
      console.log(`invalid ${file} (unparsable YAML): ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    const label = `${file} ${object.apiVersion} ${object.kind}/${object.metadata?.name}`;
    try {
      const Model = await modelFor(object.apiVersion, object.kind);
      new Model(object).validate();
      console.log(`valid ${label}`);
    } catch (e) {
      failures++;
      console.log(`invalid ${label}: ${describe(e)}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
