#!/usr/bin/env bash
# Checks each program's bash completion against its --help: at every command (recursively),
# completing "-" offers every option --help lists, completing "" offers exactly the commands
# --help lists, and an option whose values --help names ({a,b,c}) completes to them.
# Usage: tests/package/completion_test.sh COMPLETIONS_DIR BIN_DIR...   (one BIN_DIR per program,
#   or one holding all four)
set -euo pipefail
if [[ ${1:-} == --help || $# -lt 2 ]]; then
  sed -n '2,6s/^# \{0,1\}//p' "$0"
  [[ ${1:-} == --help ]] && exit 0 || exit 2
fi
dir=$1
shift
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

binary() { # NAME: the program in one of the BIN_DIRs
  local d
  for d in "${bin_dirs[@]}"; do
    [[ -x $d/$1 ]] && { echo "$d/$1"; return; }
  done
  echo "no $1 in ${bin_dirs[*]}" >&2
  exit 1
}
bin_dirs=("$@")

# What bash completes for the words "$@" (the last one is being completed).
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "_${COMP_WORDS[0]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

check_command() { # BINARY NAME [COMMAND...]
  local bin=$1 name=$2
  shift 2
  local help expected got sub missing
  help=$("$bin" "$@" --help)
  # Option names: every -x / --long token in the name column of the Options section.
  expected=$(awk '/^[A-Z][A-Za-z ]*:$/ { s = $0; next } s == "Options:" && /^  -/ { print $1 }' <<<"$help" |
             tr ',' '\n' | grep -E '^--?[A-Za-z0-9]' | sort -u)
  got=$(complete_words "$name" "$@" -)
  missing=$(comm -23 <(echo "$expected") <(echo "$got"))
  [[ -z $missing ]] || fail "$name $* -<TAB> lacks: $(echo $missing)"
  [[ -n $expected ]] || fail "$name $* --help lists no option (the parse is broken)"
  expected=$(awk '/^[A-Z][A-Za-z ]*:$/ { s = $0; next } s == "Subcommands:" && /^  [^ -]/ { print $1 }' <<<"$help" | sort -u)
  got=$(complete_words "$name" "$@" "")
  [[ $expected == "$got" ]] || fail "$name $* <TAB> offers [$(echo $got)], --help lists [$(echo $expected)]"
  # Values named in braces, as in --log-level LEVEL:{debug,info,warn,error}.
  while IFS=$'\t' read -r opt values; do
    values=$(tr ' ' '\n' <<<"$values" | sort -u | tr '\n' ' ')
    got=$(complete_words "$name" "$@" "$opt" "" | tr '\n' ' ')
    [[ $got == "$values" ]] || fail "$name $* $opt <TAB> offers [$got], --help names [$values]"
  done < <(awk '/^[A-Z][A-Za-z ]*:$/ { s = $0; next }
                s == "Options:" && /^  -/ && match($0, /:\{[^}]*\}/) {
                  n = $1; sub(/.*,/, "", n); v = substr($0, RSTART + 2, RLENGTH - 3); gsub(/,/, " ", v)
                  print n "\t" v }' <<<"$help")
  for sub in $expected; do
    check_command "$bin" "$name" "$@" "$sub"
  done
}

for name in p2pnode p2pctl blockdump msgcraft; do
  file=$dir/$name
  [[ -f $file ]] || { fail "no completion file $file"; continue; }
  # shellcheck source=/dev/null
  source "$file"
  complete -p "$name" >/dev/null 2>&1 || fail "$file does not register a completion for $name"
  check_command "$(binary "$name")" "$name"
done
if ((failures)); then
  echo "$failures completion check(s) failed" >&2
  exit 1
fi
echo "bash completion matches --help for p2pnode, p2pctl, blockdump and msgcraft"
