// Validates every document of infra/kubernetes/*.yaml offline, by apiVersion/kind, against the OpenAPI schemas that
// kubernetes-models bundles (core kinds) and @kubernetes-models/prometheus-operator (PodMonitor). A kind with no
// schema here fails: nothing is skipped silently. The schemas check types, required fields and formats; they do not
// reject unknown fields, so the cross-checks below cover what a typo would break:
//  - the Service, PodDisruptionBudget, PodMonitor and HPA point at the Deployment and its pod labels;
//  - the HPA's pods metric is the one the prometheus-adapter rule serves;
//  - the readiness probe is /readyz and the liveness probe /healthz on the container's port;
//  - terminationGracePeriodSeconds covers the preStop sleep + PhoneAgent__DrainTimeout + 10 s.
// Usage: node validate.mjs [FOLDER] (default: the folder above this one).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const folder = path.resolve(process.argv[2] ?? path.join(here, '..'));
const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL ${message}`); };
const ok = (message) => console.log(`ok   ${message}`);

/** The model class for an apiVersion/kind, or null when no bundled schema covers it. */
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const candidates = group === 'monitoring.coreos.com'
    ? [`@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`]
    : [`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`];
  for (const specifier of candidates) {
    try {
      const module = await import(specifier);
      if (module[kind]) return module[kind];
    } catch (e) {
      if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    }
  }
  return null;
}

async function validate(doc, where) {
  const { apiVersion, kind } = doc ?? {};
  if (!apiVersion || !kind) {
    fail(`${where}: no apiVersion/kind`);
    return false;
  }
  const Model = await modelFor(apiVersion, kind);
  if (!Model) {
    fail(`${where}: no schema for ${apiVersion} ${kind}`);
    return false;
  }
  try {
    new Model(doc).validate();
    return true;
  } catch (e) {
    fail(`${where}: ${apiVersion} ${kind} ${doc.metadata?.name}: ${e.message}`);
    return false;
  }
}

// The validator must be able to fail.
{
  const before = failures.length;
  console.log('self-test: broken documents must fail (the FAIL lines below are expected)');
  await validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } }, 'self-test');
  await validate({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { maxReplicas: 3 } }, 'self-test');
  await validate({ apiVersion: 'example.com/v1', kind: 'Unknown', metadata: { name: 'x' } }, 'self-test');
  const caught = failures.splice(before);
  if (caught.length === 3) ok('self-test: all 3 broken documents refused');
  else fail(`self-test: ${caught.length} of 3 broken documents refused`);
}

const docs = [];
for (const file of fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const parsed = YAML.parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'));
  for (const [index, document] of parsed.entries()) {
    if (document.errors.length > 0) {
      fail(`${file}#${index}: YAML: ${document.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const doc = document.toJS();
    if (doc === null) continue;
    if (await validate(doc, `${file}#${index}`)) ok(`${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}`);
    docs.push(doc);
  }
}

const find = (kind) => docs.filter((d) => d.kind === kind);
const one = (kind, name) => find(kind).find((d) => !name || d.metadata.name === name);
const check = (condition, message) => (condition ? ok(message) : fail(message));
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

const deployment = one('Deployment', 'phoneagent');
if (!deployment) {
  fail('no Deployment phoneagent');
} else {
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const port = container.ports?.find((p) => p.containerPort === 8080);
  const probe = (p) => p?.httpGet && (p.httpGet.port === port?.name || p.httpGet.port === port?.containerPort);
  check(probe(container.readinessProbe) && container.readinessProbe.httpGet.path === '/readyz', 'Deployment: readiness probe is /readyz on the container port');
  check(probe(container.livenessProbe) && container.livenessProbe.httpGet.path === '/healthz', 'Deployment: liveness probe is /healthz on the container port');

  const service = one('Service', 'phoneagent');
  check(service && matches(service.spec.selector, pod.metadata.labels), 'Service selects the Deployment\'s pods');
  check(service?.spec.ports.some((p) => p.targetPort === port?.name || p.targetPort === 8080), 'Service targets the container port');
  const pdb = one('PodDisruptionBudget');
  check(pdb && matches(pdb.spec.selector.matchLabels, pod.metadata.labels), 'PodDisruptionBudget selects the Deployment\'s pods');
  const monitor = one('PodMonitor');
  check(monitor && matches(monitor.spec.selector.matchLabels, pod.metadata.labels)
    && monitor.spec.podMetricsEndpoints.some((e) => e.port === port?.name && e.path === '/metrics'), 'PodMonitor scrapes the pods\' /metrics');

  const configMaps = find('ConfigMap');
  const settings = Object.assign({}, ...configMaps.filter((c) => pod.spec.containers[0].envFrom?.some((e) => e.configMapRef?.name === c.metadata.name)).map((c) => c.data));
  const drain = /^(\d+):(\d\d):(\d\d)$/.exec(settings.PhoneAgent__DrainTimeout ?? '');
  const drainSeconds = drain ? Number(drain[1]) * 3600 + Number(drain[2]) * 60 + Number(drain[3]) : null;
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
  check(drainSeconds !== null && grace >= preStop + drainSeconds + 10,
    `Deployment: terminationGracePeriodSeconds ${grace} >= preStop ${preStop} + PhoneAgent__DrainTimeout ${drainSeconds} + 10`);

  const hpa = one('HorizontalPodAutoscaler');
  check(hpa?.spec.scaleTargetRef.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === deployment.metadata.name, 'HPA targets the Deployment');
  const podsMetric = hpa?.spec.metrics.find((m) => m.type === 'Pods')?.pods.metric.name;
  check(hpa?.spec.metrics.some((m) => m.type === 'Resource' && m.resource.name === 'cpu'), 'HPA has CPU as a fallback metric');
  const adapter = configMaps.find((c) => c.metadata.name.startsWith('prometheus-adapter'));
  const rules = adapter ? YAML.parse(adapter.data['config.yaml']).rules : [];
  const served = rules.map((r) => r.name?.as ?? r.seriesQuery.match(/^\w+/)[0]);
  check(podsMetric && served.includes(podsMetric), `HPA pods metric ${podsMetric} is served by the prometheus-adapter rule (${served.join(', ')})`);
  check(rules.every((r) => r.resources?.overrides?.pod && r.resources?.overrides?.namespace), 'prometheus-adapter rules map namespace and pod labels');
}

const total = docs.length;
console.log(failures.length === 0 ? `kubernetes manifests: ${total} documents valid` : `kubernetes manifests: ${failures.length} problems`);
process.exit(failures.length === 0 ? 0 : 1);
