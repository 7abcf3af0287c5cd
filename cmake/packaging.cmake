# Installing and packaging the four programs: `cmake --install build` or, in the release build
# tree, `cpack -G DEB` (a .deb with the programs, their man pages, a systemd unit for p2pnode
# with its user, an example config.ini and bash completion). The config.ini and the completions
# are generated from the programs' own option tables at build time, so they cannot drift.
include(GNUInstallDirs)
set(P2P_PACKAGING ON)

set(P2P_PACKAGE_SOURCE "${CMAKE_SOURCE_DIR}/cmake/package")
set(P2P_PACKAGE_BUILD "${CMAKE_BINARY_DIR}/package")
set(p2p_programs p2pnode p2pctl blockdump msgcraft)

install(TARGETS ${p2p_programs} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(p2p_package_files "${P2P_PACKAGE_BUILD}/config.ini")
add_custom_command(OUTPUT "${P2P_PACKAGE_BUILD}/config.ini"
  COMMAND sh -c "\"$1\" --print-default-config > \"$2\"" sh $<TARGET_FILE:p2pnode> "${P2P_PACKAGE_BUILD}/config.ini"
  DEPENDS p2pnode
  COMMENT "config.ini from p2pnode --print-default-config" VERBATIM)
foreach(program IN LISTS p2p_programs)
  set(out "${P2P_PACKAGE_BUILD}/completions/${program}")
  set(extra)
  if(program STREQUAL "p2pctl")
    set(extra --fallthrough) # its global options may follow the command (tools/p2pctl)
  endif()
  add_custom_command(OUTPUT "${out}"
    COMMAND sh -c "bash \"$1\" \"$2\" \"$3\" $4 > \"$5\"" sh "${P2P_PACKAGE_SOURCE}/bash_completion.sh" ${program}
            $<TARGET_FILE:${program}> "${extra}" "${out}"
    DEPENDS ${program} "${P2P_PACKAGE_SOURCE}/bash_completion.sh"
    COMMENT "bash completion for ${program} from its --help" VERBATIM)
  list(APPEND p2p_package_files "${out}")
  # Man pages gzipped, as Debian installs them (-n: no name or time stamp, reproducible).
  set(man_gz "${P2P_PACKAGE_BUILD}/man/${program}.1.gz")
  add_custom_command(OUTPUT "${man_gz}"
    COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" sh "${CMAKE_SOURCE_DIR}/man/${program}.1" "${man_gz}"
    DEPENDS "${CMAKE_SOURCE_DIR}/man/${program}.1" VERBATIM)
  list(APPEND p2p_package_files "${man_gz}")
  install(FILES "${man_gz}" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES "${out}" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endforeach()
file(MAKE_DIRECTORY "${P2P_PACKAGE_BUILD}/completions" "${P2P_PACKAGE_BUILD}/man")
add_custom_target(package_files ALL DEPENDS ${p2p_package_files})

install(CODE "set(P2P_PACKAGE_SOURCE \"${P2P_PACKAGE_SOURCE}\")\nset(P2P_PACKAGE_BUILD \"${P2P_PACKAGE_BUILD}\")")
install(SCRIPT "${P2P_PACKAGE_SOURCE}/install_service.cmake")

# The Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME antelope-p2p)
set(CPACK_PACKAGE_VENDOR "antelope-p2p")
set(CPACK_PACKAGE_CONTACT "antelope-p2p developers <antelope-p2p@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "EOS/Antelope peer-to-peer node and tools (p2pnode, p2pctl, blockdump, msgcraft)")
set(CPACK_PACKAGE_DESCRIPTION "A C++20 toolkit that speaks the EOS / Antelope peer-to-peer protocol byte for byte:
p2pnode joins a network, syncs, relays and produces blocks (with a systemd unit); p2pctl talks
to its control socket; blockdump decodes and verifies block logs; msgcraft crafts, sends,
fuzzes and probes protocol messages.")
# Staged with DESTDIR and the prefix /usr, so the install script sees the package's own prefix.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser: the user when systemd-sysusers is missing.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${P2P_PACKAGE_SOURCE}/postinst" "${P2P_PACKAGE_SOURCE}/prerm" "${P2P_PACKAGE_SOURCE}/postrm"
    "${P2P_PACKAGE_SOURCE}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
