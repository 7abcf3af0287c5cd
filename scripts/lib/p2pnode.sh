# Sourced by scripts/devnet.sh and scripts/chaos.sh: what both know about running a network of
# p2pnodes that starts as the devnet does. Defines variables and functions only.

# The devnet's bootstrap producer key (eosio): a public test key, not a secret.
dev_pub=EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV
dev_priv=5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3

# The config.ini lines that make node N a producer, from the caller's associative arrays pub and
# priv (the K1 key pairs of proda, prodb and prodc): node1 produces eosio (the bootstrap
# producer) and proda and proposes the schedule proda,prodb,prodc; node2 produces prodb; node3
# prodc. Other nodes produce nothing: no lines.
producer_config() {
  local p
  case $1 in
    1)
      echo "producer-name = eosio"
      echo "producer-name = proda"
      echo "signature-provider = $dev_pub=KEY:$dev_priv"
      echo "signature-provider = ${pub[proda]}=KEY:${priv[proda]}"
      echo "enable-stale-production = true"
      for p in proda prodb prodc; do echo "producer-schedule = $p=${pub[$p]}"; done
      ;;
    2 | 3)
      p=$([[ $1 == 2 ]] && echo prodb || echo prodc)
      echo "producer-name = $p"
      echo "signature-provider = ${pub[$p]}=KEY:${priv[$p]}"
      ;;
  esac
}

# Fields of a one-line JSON object (p2pctl --json), without needing jq.
jnum() { sed -n "s/.*\"$2\":\"\{0,1\}\([0-9]*\).*/\1/p" <<<"$1"; }
jstr() { sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" <<<"$1"; }
