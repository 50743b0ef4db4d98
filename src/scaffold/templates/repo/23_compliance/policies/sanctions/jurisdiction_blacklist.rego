# Sanctions policy: block onboarding and transfers involving sanctioned jurisdictions.
# Input: 24_meta_orchestration/registry/generated/repo_scan.json plus the daily
# 23_compliance/sanctions/entities_to_check.json (see .github/workflows/sanctions_daily.yml).
package ssid.compliance.sanctions

import rego.v1

repo_scan_source := "24_meta_orchestration/registry/generated/repo_scan.json"

blacklisted_jurisdictions := {
	"IR": {"name": "Iran", "reason": "OFAC Comprehensive Sanctions"},
	"KP": {"name": "North Korea", "reason": "OFAC Comprehensive Sanctions"},
	"SY": {"name": "Syria", "reason": "OFAC Comprehensive Sanctions"},
	"CU": {"name": "Cuba", "reason": "OFAC Sanctions (Limited)"},
	"SD": {"name": "Sudan", "reason": "OFAC Sanctions (Regional)"},
	"BY": {"name": "Belarus", "reason": "EU Sanctions"},
	"VE": {"name": "Venezuela", "reason": "OFAC Sectoral Sanctions"},
}

# block IR (Iran): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "IR"
	msg := "block: IR (Iran) is under OFAC Comprehensive Sanctions"
}

# block KP (North Korea): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "KP"
	msg := "block: KP (North Korea) is under OFAC Comprehensive Sanctions"
}

# block SY (Syria): OFAC Comprehensive Sanctions
deny contains msg if {
	input.subject.jurisdiction == "SY"
	msg := "block: SY (Syria) is under OFAC Comprehensive Sanctions"
}

# block CU (Cuba): OFAC Sanctions (Limited)
deny contains msg if {
	input.subject.jurisdiction == "CU"
	msg := "block: CU (Cuba) is under OFAC Sanctions (Limited)"
}

# block SD (Sudan): OFAC Sanctions (Regional)
deny contains msg if {
	input.subject.jurisdiction == "SD"
	msg := "block: SD (Sudan) is under OFAC Sanctions (Regional)"
}

# block BY (Belarus): EU Sanctions
deny contains msg if {
	input.subject.jurisdiction == "BY"
	msg := "block: BY (Belarus) is under EU Sanctions"
}

# block VE (Venezuela): OFAC Sectoral Sanctions
deny contains msg if {
	input.subject.jurisdiction == "VE"
	msg := "block: VE (Venezuela) is under OFAC Sectoral Sanctions"
}

# Entity screening: names are compared after normalisation; near matches go to manual review.
has_substr(text, part) if contains(lower(text), lower(part))

string_similarity(a, b) := 1 if lower(a) == lower(b)

string_similarity(a, b) := 0.5 if {
	lower(a) != lower(b)
	has_substr(a, b)
}

review contains entity if {
	some entity in input.entities
	some listed in data.sanctions.names
	string_similarity(entity, listed) >= 0.5
}
