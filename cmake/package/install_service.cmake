# Run by `cmake --install` (and cpack): installs the files whose contents or places depend on the
# install prefix, known only now. A /usr prefix (the Debian package) puts the config in /etc,
# any other prefix in PREFIX/etc. Set before: P2P_PACKAGE_SOURCE (cmake/package), P2P_PACKAGE_BUILD
# (the generated config.ini and completions). file(INSTALL) puts $DESTDIR before the destination.
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(prefix STREQUAL "/usr")
  set(sysconf "/etc")
else()
  set(sysconf "${prefix}/etc")
endif()
set(P2PNODE_BIN "${prefix}/bin/p2pnode")
set(P2PNODE_CONFIG "${sysconf}/p2pnode/config.ini")
configure_file("${P2P_PACKAGE_SOURCE}/p2pnode.service.in" "${P2P_PACKAGE_BUILD}/p2pnode.service" @ONLY)

file(INSTALL "${P2P_PACKAGE_BUILD}/p2pnode.service" DESTINATION "${prefix}/lib/systemd/system")
file(INSTALL "${P2P_PACKAGE_SOURCE}/p2pnode.sysusers" DESTINATION "${prefix}/lib/sysusers.d"
     RENAME p2pnode.conf)
# An edited config is never overwritten (the package's is a conffile: dpkg asks).
if(EXISTS "$ENV{DESTDIR}${P2PNODE_CONFIG}")
  message(STATUS "Keeping: $ENV{DESTDIR}${P2PNODE_CONFIG}")
else()
  file(INSTALL "${P2P_PACKAGE_BUILD}/config.ini" DESTINATION "${sysconf}/p2pnode")
endif()
