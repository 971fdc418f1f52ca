# The three benchmark rules of bench/compare.sh in Rego, for regorus:
#   regorus eval -d bench.rego -i input.json data.bench
# input.json is {"meldingen": [ ...records... ]}. Each rule is a set of
# findings, one per violating record (rule 1: one per missing field, as
# naleving's `required` reports), so the set sizes are the finding counts.
package bench

import rego.v1

required_fields := ["id", "regio", "soort", "ontvangen_op"]

soort_ok := {"melding", "advies"}

melder_ok := {
	"politie", "gezondheidszorg", "onderwijs", "jeugdzorg",
	"ggz", "kinderopvang", "apotheek", "niet-beroepsmatig",
}

# Rule 1: id, regio, soort and ontvangen_op are present and non-empty.
required contains [r.id, f] if {
	some r in input.meldingen
	some f in required_fields
	not filled(r, f)
}

filled(r, f) if {
	v := r[f]
	v != null
	v != ""
}

# Rule 2: soort and melder, when present, have a known value.
enum contains r.id if {
	some r in input.meldingen
	bad_value(r)
}

bad_value(r) if {
	s := r.soort
	not soort_ok[s]
}

bad_value(r) if {
	m := r.melder
	not melder_ok[m]
}

# Rule 3: veiligheidsbeoordeling_op >= ontvangen_op when both are present
# (ISO dates compared as strings).
bound contains r.id if {
	some r in input.meldingen
	r.veiligheidsbeoordeling_op < r.ontvangen_op
}
