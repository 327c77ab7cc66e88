// krew plugin manifest (krew.googlecontainertools.github.com/v1alpha2 Plugin) for built archives.
import { stringify } from 'yaml';

/** The manifest text for `built` archives published under `baseUrl` (no trailing slash needed). */
export function krewManifest(pjson, baseUrl, built) {
  const base = baseUrl.replace(/\/+$/, '');
  return stringify({
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'podscope' },
    spec: {
      version: `v${pjson.version}`,
      homepage: pjson.homepage,
      shortDescription: 'Diagnose pods, scheduling and the kubelet PLEG',
      description: `${pjson.description}.\nWorks live through the API server or offline on a snapshot; a CI gate with SARIF, JUnit and JSON output.\n`,
      platforms: built.map((b) => ({
        selector: { matchLabels: { os: b.os, arch: b.arch } },
        uri: `${base}/${b.archive}`,
        sha256: b.sha256,
        bin: b.bin,
        // krew links only `bin` into $KREW_ROOT/bin: kubectl_complete-podscope lands in the
        // plugin's store directory, from where a user links it onto PATH (README, completion).
        files: [b.bin, 'LICENSE', ...(b.complete ? [b.complete] : [])].map((from) => ({ from, to: '.' })),
      })),
    },
  });
}
