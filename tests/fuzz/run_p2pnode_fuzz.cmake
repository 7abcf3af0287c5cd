# Runs msgcraft fuzz --exec against a fresh p2pnode (a CTest fuzz_smoke_p2pnode_exec test):
#   cmake -DMSGCRAFT=<exe> -DP2PNODE=<exe> -DWORK=<scratch dir> -DSECONDS=<n> -P run_p2pnode_fuzz.cmake
# The node gets a free port ({port}), the devnet chain and the dev key, and produces. Fails on
# any finding; the reproducers and the node's logs stay in WORK.
foreach(v MSGCRAFT P2PNODE WORK SECONDS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_p2pnode_fuzz.cmake: -D${v}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
# The devnet's bootstrap key (scripts/devnet.sh): a public test key, not a secret.
set(dev_pub EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV)
set(dev_priv 5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3)
set(node "${P2PNODE} --data-dir ${WORK}/node --p2p-listen-endpoint 127.0.0.1:{port} --p2p-max-nodes-per-host 100 --producer-name eosio --signature-provider ${dev_pub}=KEY:${dev_priv} --enable-stale-production")
execute_process(
  COMMAND "${MSGCRAFT}" fuzz 127.0.0.1:0 --exec "${node}" --duration ${SECONDS} --seed 1
          --findings "${WORK}/findings" --exec-timeout 120 --hang-timeout 15 --minimise-runs 8 --no-progress
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  file(GLOB found "${WORK}/findings/*.txt")
  foreach(f IN LISTS found)
    file(READ "${f}" text)
    message("${f}:\n${text}")
  endforeach()
  message(FATAL_ERROR "msgcraft fuzz exited with ${rc}; reproducers and logs in ${WORK}")
endif()
