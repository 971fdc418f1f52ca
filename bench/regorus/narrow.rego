# The three narrow benchmark rules of bench/compare.sh (issue 20) in Rego,
# for regorus:
#   regorus eval -d narrow.rego -i narrow-input.json data.narrow.deny
# narrow-input.json is {"meldingen": [ ...records... ]} (bench/narrow.py).
# `deny` is one string per finding, "<rule> <id>" (rule 1: "required <id>
# <field>", one per missing field, as naleving's `required` reports), so
# its size is the number of findings.
package narrow

import rego.v1

required_fields := ["id", "soort", "regio", "ontvangen_op"]

soort_ok := {"melding", "advies"}

# Rule 1: id, soort, regio and ontvangen_op are present and non-empty.
deny contains concat(" ", ["required", r.id, f]) if {
	some r in input.meldingen
	some f in required_fields
	not filled(r, f)
}

filled(r, f) if {
	v := r[f]
	v != null
	v != ""
}

# Rule 2: soort, when present, is melding or advies.
deny contains concat(" ", ["enum", r.id]) if {
	some r in input.meldingen
	s := r.soort
	not soort_ok[s]
}

# Rule 3: at most six betrokkenen.
deny contains concat(" ", ["bound", r.id]) if {
	some r in input.meldingen
	r.betrokkenen > 6
}
