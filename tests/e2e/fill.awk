# Fills a skeleton written by `itareport new` with the scalar values of a filled-in input.
# Usage: awk -f fill.awk FILLED.yaml SKELETON.yaml > RESULT.yaml
# Each "key: value" line is known by its path of keys (from the indentation), e.g.
# scores.questions.e1 or agency.name; list items ("- ...") are left alone. A skeleton line
# whose path has a value in the filled input gets that value; every other line is kept.
function path_of(indent, key,    p, i) {
  while (depth > 0 && indents[depth] >= indent) depth--
  depth++; indents[depth] = indent; keys[depth] = key
  p = keys[1]
  for (i = 2; i <= depth; i++) p = p "." keys[i]
  return p
}
/^ *#/ || /^ *$/ { if (FNR == NR) next; print; next }
/^ *- / { if (FNR == NR) next; print; next }
{
  match($0, /^ */); indent = RLENGTH
  line = substr($0, indent + 1)
  colon = index(line, ":")
  if (colon == 0) { if (FNR != NR) print; next }
  key = substr(line, 1, colon - 1)
  value = substr(line, colon + 1)
  sub(/^ +/, "", value); sub(/ +#.*$/, "", value); sub(/^#.*$/, "", value)
  if (FNR == 1) depth = 0
  p = path_of(indent, key)
  if (FNR == NR) { if (value != "") filled[p] = value; next }
  if (p in filled) printf "%*s%s: %s\n", indent, "", key, filled[p]
  else print
}
