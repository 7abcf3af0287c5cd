# Installs the oracle's npm packages (@noble/curves, pinned by package-lock.json) into the build
# tree; the bls_oracle_install CTest fixture runs it before the oracle test:
#   cmake -DNPM=<npm> -DSOURCE=<dir of package.json> -DDEST=<build dir> -P install_noble.cmake
# It reaches the npm registry only when DEST has no install from the same lock file.
foreach(v NPM SOURCE DEST)
  if(NOT DEFINED ${v} OR "${${v}}" MATCHES "NOTFOUND$")
    message(FATAL_ERROR "install_noble.cmake: -D${v} is missing (npm comes from Debian: scripts/install-deps.sh)")
  endif()
endforeach()

set(stamp "${DEST}/installed-package-lock.json")
if(EXISTS "${DEST}/node_modules/@noble/curves/package.json" AND EXISTS "${stamp}")
  file(SHA256 "${SOURCE}/package-lock.json" want)
  file(SHA256 "${stamp}" have)
  if(want STREQUAL have)
    message(STATUS "@noble/curves already installed in ${DEST}")
    return()
  endif()
endif()

file(MAKE_DIRECTORY "${DEST}")
file(COPY "${SOURCE}/package.json" "${SOURCE}/package-lock.json" DESTINATION "${DEST}")
execute_process(
  COMMAND "${NPM}" ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY "${DEST}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${rc}) in ${DEST}: the npm registry must be reachable to set up the oracle")
endif()
file(COPY_FILE "${SOURCE}/package-lock.json" "${stamp}")
