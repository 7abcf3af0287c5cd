#!/usr/bin/env bash
# Writes the bash completion of one of the programs to stdout, from its own --help and each of
# its commands' (recursively), so that it completes exactly what --help lists: commands, options,
# and option values where the help names them (a {a,b,c} set, BOOLEAN, a DIR).
# Usage: cmake/package/bash_completion.sh NAME BINARY [--fallthrough]
#   --fallthrough: the program's own options are also accepted after a command (p2pctl's are).
set -euo pipefail
if (($# < 2 || $# > 3)) || [[ ${3:---fallthrough} != --fallthrough ]]; then
  echo "usage: $0 NAME BINARY [--fallthrough]" >&2
  exit 2
fi
name=$1 bin=$2 fallthrough=${3:-}
[[ $name =~ ^[a-z][a-z0-9]*$ ]] || { echo "$0: bad program name '$name'" >&2; exit 2; }

# "S<TAB>command" and "O<TAB>-s,--long<TAB>type" lines from one --help text. CLI11 prints an
# option's names and type in a 28-character column from column 3, or alone on a line (the help
# on the next, indented by 30) when they do not fit.
parse_help() {
  awk '
    { line[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) {
        l = line[i]
        if (l ~ /^[A-Z][A-Za-z ]*:$/) { section = l; continue }
        if (section == "Subcommands:" && l ~ /^  [^ -]/) { split(substr(l, 3), w, " "); print "S\t" w[1]; continue }
        if (section != "Options:" || l !~ /^  -/) continue
        wrapped = i < NR && line[i + 1] ~ /^                              [^ ]/
        col = wrapped ? substr(l, 3) : substr(l, 3, 28)
        sub(/ +$/, "", col)
        names = col; sub(/ .*/, "", names)
        type = ""
        if (index(col, " ")) { type = col; sub(/^[^ ]+ /, "", type) }
        sub(/ (REQUIRED|Excludes:|Needs:).*$/, "", type)
        sub(/=.*$/, "", type)
        print "O\t" names "\t" type
      }
    }'
}

# What completes an option's value: @flag (none: the option takes no value), @dir, a word list,
# or @any (left to bash's default, file names).
value_kind() {
  case $1 in
    "") echo @flag ;;
    *{*}*) local t=${1#*\{}; t=${t%%\}*}; echo "${t//,/ }" ;;
    BOOLEAN*) echo "true false" ;;
    DIR*) echo @dir ;;
    *) echo @any ;;
  esac
}

declare -A subs opts kinds
# Tables keyed by the command path, the program's name first ("msgcraft key bls").
walk() {
  local path=$1 kind line tag a b n
  local -a words=()
  read -r -a words <<<"$path"
  words=("${words[@]:1}")
  local help
  help=$("$bin" "${words[@]}" --help) || { echo "$0: $bin ${words[*]} --help failed" >&2; exit 1; }
  subs[$path]="" opts[$path]=""
  local -a children=()
  while IFS=$'\t' read -r tag a b; do
    if [[ $tag == S ]]; then
      subs[$path]+="${subs[$path]:+ }$a"
      children+=("$a")
    else
      kind=$(value_kind "$b")
      IFS=, read -r -a n <<<"$a"
      for a in "${n[@]}"; do
        opts[$path]+="${opts[$path]:+ }$a"
        [[ $kind == @flag ]] || kinds["$path|$a"]=$kind
      done
    fi
  done < <(parse_help <<<"$help")
  for a in "${children[@]}"; do
    walk "$path $a"
  done
}
walk "$name"
if [[ -n $fallthrough ]]; then
  for p in "${!opts[@]}"; do
    [[ $p == "$name" ]] && continue
    for o in ${opts[$name]}; do
      [[ $o == -h || $o == --help || " ${opts[$p]} " == *" $o "* ]] || opts[$p]+=" $o"
    done
  done
fi

emit_table() { # NAME ARRAY
  local -n t=$2
  local k
  echo "declare -gA _${name}_$1=("
  for k in $(printf '%s\n' "${!t[@]}" | sort | sed 's/ /\x01/g'); do
    k=${k//$'\x01'/ }
    printf '  [%q]=%q\n' "$k" "${t[$k]}"
  done
  echo ")"
}

cat <<HEAD
# bash completion for $name: its commands, options and option values, generated at build time
# from \`$name --help\` by cmake/package/bash_completion.sh (do not edit).
HEAD
emit_table subs subs
emit_table opts opts
emit_table kinds kinds
cat <<BODY
_${name}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev="" path=$name p kind="" i w
  ((COMP_CWORD > 0)) && prev=\${COMP_WORDS[COMP_CWORD - 1]}
  # The command path: the words that name a command of the one before.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    [[ -n \$w && " \${_${name}_subs[\$path]-} " == *" \$w "* ]] && path="\$path \$w"
  done
  # An option's value, by the option of this command or of one above it.
  p=\$path
  while :; do
    kind=\${_${name}_kinds["\$p|\$prev"]-}
    [[ -n \$kind || \$p != *" "* ]] && break
    p=\${p% *}
  done
  case \$kind in
    @dir) compopt -o filenames 2>/dev/null; COMPREPLY=(\$(compgen -d -- "\$cur")); return ;;
    @any) COMPREPLY=(); return ;;
    "") ;;
    *) COMPREPLY=(\$(compgen -W "\$kind" -- "\$cur")); return ;;
  esac
  if [[ \$cur == -* ]]; then
    COMPREPLY=(\$(compgen -W "\${_${name}_opts[\$path]-}" -- "\$cur"))
  else
    COMPREPLY=(\$(compgen -W "\${_${name}_subs[\$path]-}" -- "\$cur"))
  fi
}
complete -o default -F _${name} ${name}
BODY
