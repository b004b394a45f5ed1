// The same benchmark through json-e's reference implementation (the `json-e` npm package): the template
// and base context come as JSON (run.sh converts the YAML), the contexts are made exactly as
// bench_template.cpp makes them, and json-e renders each one. Prints the median evaluations per second.
//
//   node bench_jsone.js JSONE_MODULE TEMPLATE.json CONTEXT.json CONTEXTS RUNS [SAMPLE_OUT.json]
'use strict';
const fs = require('fs');

const [modulePath, templatePath, contextPath, contextsArg, runsArg, samplePath] = process.argv.slice(2);
const jsone = require(modulePath);
const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
const base = JSON.parse(fs.readFileSync(contextPath, 'utf8'));
const contexts = Number(contextsArg || 100000);
const runs = Number(runsArg || 5);

function makeContext(i) {
  const c = JSON.parse(JSON.stringify(base));
  c.name = 'model-' + i;
  c.hash = String((1000003 * i) % 999983);
  c.scaling.minReplicas = 1 + (i % 5);
  c.scaling.maxReplicas = 11 + (i % 5);
  c.scaling.external = i % 4 !== 0;
  if (i % 2) c.canary = null;
  c.model.resources.gpu = i % 3 === 0 ? 1 : 0;
  c.model.env[1].value = 'model-' + i;
  c.labels.shard = 's' + (i % 16);
  return c;
}

const inputs = [];
for (let i = 0; i < contexts; i++) inputs.push(makeContext(i));
// json-e reads the clock for `now` itself; fix it like the C++ side does.
const fixedNow = 1484843240974;
Date.now = () => fixedNow;

const rates = [];
let size = 0;
for (let run = 0; run < runs; run++) {
  const start = process.hrtime.bigint();
  for (const context of inputs) {
    const result = jsone(template, context);
    size += result.kind.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rates.push(contexts / seconds);
}
rates.sort((a, b) => a - b);
if (samplePath) {
  const sample = inputs.slice(0, 100).map((c) => jsone(template, c));
  fs.writeFileSync(samplePath, JSON.stringify(sample) + '\n');
}
console.log(`json-e: ${contexts} contexts x ${runs} runs, median ${rates[Math.floor(rates.length / 2)].toFixed(0)} ` +
            `evaluations/s (min ${rates[0].toFixed(0)}, max ${rates[rates.length - 1].toFixed(0)}) [${size % 10}]`);
