# Admission policy for the @id@ shard: deployments must carry the shard id,
# run as non-root and log in JSON. Evaluated by OPA Gatekeeper and conftest in CI.
package ssid.shards.@pkg@

import rego.v1

shard_id := "@id@"

deny contains msg if {
	input.kind == "Deployment"
	input.metadata.annotations["ssid.io/shard-id"] != shard_id
	msg := sprintf("deployment %s must be annotated with shard id %s", [input.metadata.name, shard_id])
}

deny contains msg if {
	input.kind == "Deployment"
	some container in input.spec.template.spec.containers
	not container.securityContext.runAsNonRoot
	msg := sprintf("container %s must run as non-root", [container.name])
}
