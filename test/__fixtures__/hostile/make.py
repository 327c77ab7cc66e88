# Generates hostile.json: one pod with a canary value (c4n4ry<NN>) in every field a pod can carry a
# secret in, an escape-laden container name and waiting message, and a Warning event quoting a token.
# Run: python3 test/__fixtures__/hostile/make.py > test/__fixtures__/hostile/hostile.json
import json
ESC_NAME = "app\u001b]52;c;ZXZpbA==\u0007\u001b[2J"
pod = {
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {
    "name": "web-7d9f8-abcde", "namespace": "shop", "uid": "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
    "creationTimestamp": "2026-11-21T16:02:11Z",
    "labels": {"app": "web"},
    "annotations": {
      "app.example.com/api-token": "c4n4ry01",
      "app.example.com/db-url": "postgres://shop:c4n4ry02@db.shop.svc:5432/shop",
      "kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{\"containers\":[{\"env\":[{\"name\":\"X\",\"value\":\"c4n4ry03\"}]}]}}",
      "vault.hashicorp.com/agent-inject-secret-db": "c4n4ry17",
      "checksum/config": "sha256:5f1e9a"
    }
  },
  "spec": {
    "nodeName": "node-1",
    "terminationGracePeriodSeconds": 30,
    "initContainers": [{"name": "migrate", "image": "registry.example.com/shop/migrate:1.2", "args": ["--secret=c4n4ry13", "--dsn", "mysql://root:c4n4ry18@db/shop"]}],
    "containers": [
      {
        "name": ESC_NAME, "image": "registry.example.com/shop/web:2.4.1",
        "command": ["/app", "--api-key=c4n4ry07"],
        "args": ["--db-password=c4n4ry05", "--token", "c4n4ry06", "--listen=:8080", "--client-secret c4n4ry19"],
        "env": [{"name": "DB_PASSWORD", "value": "c4n4ry04"}, {"name": "FROM_SECRET", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}],
        "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
        "livenessProbe": {"exec": {"command": ["sh", "-c", "curl -fsS -H 'Authorization: Bearer c4n4ry08xyz' http://127.0.0.1:8080/healthz"]}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "httpHeaders": [{"name": "X-Auth", "value": "c4n4ry09"}]}},
        "startupProbe": {"exec": {"command": ["/bin/check", "--password", "c4n4ry20"]}},
        "lifecycle": {
          "preStop": {"exec": {"command": ["/bin/sh", "-c", "sleep 5; curl -u admin:c4n4ry10 http://127.0.0.1:8080/drain"]}},
          "postStart": {"httpGet": {"path": "/warm", "port": 8080, "httpHeaders": [{"name": "Authorization", "value": "Basic c4n4ry21"}]}}
        }
      }
    ],
    "ephemeralContainers": [{"name": "debug", "image": "busybox:1.36", "command": ["sh", "-c", "export API_TOKEN=c4n4ry14; sleep 3600"]}],
    "volumes": [{"name": "store", "csi": {"driver": "secrets-store.csi.k8s.io", "volumeAttributes": {"clientSecret": "c4n4ry15", "secretProviderClass": "shop"}}}]
  },
  "status": {
    "phase": "Running",
    "message": "note: token=c4n4ry22",
    "containerStatuses": [{
      "name": ESC_NAME, "image": "registry.example.com/shop/web:2.4.1", "imageID": "", "ready": False, "restartCount": 7, "started": False,
      "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "\u001b[31mback-off\u001b[0m 5m0s restarting failed container\u202e password=c4n4ry11"}},
      "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "message": "dial failed: postgres://shop:c4n4ry12@db.shop.svc:5432/shop\r\u001b[2K", "startedAt": "2026-11-21T16:10:00Z", "finishedAt": "2026-11-21T16:10:03Z"}}
    }]
  }
}
event = {
  "apiVersion": "v1", "kind": "Event",
  "metadata": {"name": "web-7d9f8-abcde.17a1", "namespace": "shop", "creationTimestamp": "2026-11-21T16:10:05Z"},
  "involvedObject": {"kind": "Pod", "name": "web-7d9f8-abcde", "namespace": "shop", "uid": pod["metadata"]["uid"], "fieldPath": "spec.containers{" + ESC_NAME + "}"},
  "reason": "Unhealthy", "type": "Warning", "count": 4,
  "message": "Liveness probe failed: upstream said token=c4n4ry16 \u001b]0;pwned\u0007",
  "firstTimestamp": "2026-11-21T16:05:00Z", "lastTimestamp": "2026-11-21T16:10:05Z",
  "source": {"component": "kubelet", "host": "node-1"}
}
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": [pod, event]}, indent=1))
