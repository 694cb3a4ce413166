# Fills a skeleton written by `itareport new` with the values of a filled-in input.
# Usage: awk -f fill.awk FILLED.yaml SKELETON.yaml > RESULT.yaml
# A "key: value" line is known by its path of keys (from the indentation), e.g.
# scores.questions.e1 or agency.name: a skeleton line whose path has a value in the filled
# input gets that value. A top-level section that is a list in the filled input (history,
# action_plan, limitations) replaces the skeleton's section as a whole. Comments are kept.
function path_of(indent, key,    p, i) {
  while (depth > 0 && indents[depth] >= indent) depth--
  depth++; indents[depth] = indent; keys[depth] = key
  p = keys[1]
  for (i = 2; i <= depth; i++) p = p "." keys[i]
  return p
}
FNR == 1 { depth = 0; section = ""; skipping = 0 }
# First file: remember scalar values by path, and top-level list sections as text.
FNR == NR {
  if ($0 ~ /^[^ #-]/) section = ""
  if (section != "" && $0 !~ /^ *#/) { block[section] = block[section] $0 "\n"; is_list[section] = is_list[section] || $0 ~ /^ *- / }
  if ($0 ~ /^ *#/ || $0 ~ /^ *$/ || $0 ~ /^ *- /) next
  match($0, /^ */); indent = RLENGTH; line = substr($0, indent + 1)
  colon = index(line, ":"); if (colon == 0) next
  key = substr(line, 1, colon - 1); value = substr(line, colon + 1)
  sub(/^ +/, "", value); sub(/ +#.*$/, "", value); sub(/^#.*$/, "", value)
  p = path_of(indent, key)
  if (value != "") filled[p] = value
  else if (indent == 0) section = key
  next
}
# Second file: the skeleton.
{
  if ($0 ~ /^[^ #]/) skipping = 0
  if (skipping) next
  if ($0 ~ /^ *#/ || $0 ~ /^ *$/ || $0 ~ /^ *- /) { print; next }
  match($0, /^ */); indent = RLENGTH; line = substr($0, indent + 1)
  colon = index(line, ":"); if (colon == 0) { print; next }
  key = substr(line, 1, colon - 1)
  p = path_of(indent, key)
  if (indent == 0 && is_list[key]) { print key ":"; printf "%s", block[key]; skipping = 1; next }
  if (p in filled) printf "%*s%s: %s\n", indent, "", key, filled[p]
  else print
}
