# The Debian package: `cmake --build --preset release --target deb` builds what ships (vigild,
# vigil-gateway, vigilctl, vigil-replay, the dashboard, the man pages) and runs `cpack -G DEB`, which writes
# build/release/vigil_<VIGIL_VERSION>_amd64.deb. scripts/package-test.sh builds it, runs lintian
# on it, installs, checks, removes and purges it. Needs dpkg-dev (dpkg-shlibdeps, for the
# dependencies); CPack writes the archive itself, without fakeroot.
#
# Layout (prefix /usr): /usr/bin/{vigild,vigil-gateway,vigilctl,vigil-replay}, /etc/vigil/ (conffiles),
# /usr/lib/systemd/system/{vigild,vigil-gateway}.service, /usr/share/vigil/dashboard/, /usr/share/man/man{1,8}/,
# /usr/share/doc/vigil/ (README.md, service.md, copyright, changelog.gz).

set(pkg ${PROJECT_SOURCE_DIR}/packaging/deb)
set(gen ${PROJECT_BINARY_DIR}/packaging)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VERSION ${VIGIL_VERSION})
set(CPACK_PACKAGE_VENDOR "The Vigil authors")
set(CPACK_PACKAGE_CONTACT "Vigil maintainers <maintainers@users.noreply.h-seed-9174775c.example>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "alarm daemon for patients during ketamine infusions")
# The extended description: lines of at most 80 characters, a blank line is " ." (CPack
# indents each line by one space).
set(CPACK_PACKAGE_DESCRIPTION
"vigild subscribes over MQTT to bedside monitors' heart-rate and blood-pressure
readings, follows each bed through its infusion and observation, and publishes
alarms (high and low limits, trends, a monitor gone quiet) that nurse-station
dashboards subscribe to. It is a secondary alarm system: the bedside monitor's
own alarms stay on.
.
This package holds vigild (a systemd service), vigil-gateway (a systemd service
taking IHE PCD-01 HL7 reports over MLLP from the monitors and paging an Alert
Manager over PCD-04), vigilctl (watch, acknowledge and status for the people on
shift), vigil-replay (record, import and replay sessions) and the nurse-station
web dashboard, served by mosquitto.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
# vigil_0.1.0_amd64.deb: a native version (no Debian revision), as the project releases it.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

# Dependencies: dpkg-shlibdeps computes the libraries' packages from the binaries (Paho,
# protobuf, spdlog, fmt, SQLite, libpqxx and libpq, OpenSSL, libstdc++). Added by hand what it cannot see: the
# maintainer scripts call deb-systemd-helper and deb-systemd-invoke (init-system-helpers, as
# debhelper's misc:Depends adds it). A broker is recommended, not required: vigild may use one
# on another host; mosquitto also serves the dashboard (config/mosquitto-dashboard.conf).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# fonts-dejavu-core: the record's PDF is drawn in DejaVu Sans (cairo finds it through fontconfig;
# shlibdeps sees cairo, not the font). tzdata: the HL7 reader (daemon/hl7) reads a sender's
# IANA time zone from /usr/share/zoneinfo when a time has no offset.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~), fonts-dejavu-core, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "mosquitto")
# postgresql: the database a pair of vigild shares (README "Running a pair"), usually on
# another host.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto-clients, postgresql")

set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Absolute destinations (/etc/vigil) go into the package's tree, not the build machine's /etc.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_VIGIL_STRIP ${CMAKE_STRIP})
set(CPACK_PRE_BUILD_SCRIPTS ${pkg}/strip.cmake)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Maintainer scripts (as dh_installsystemd writes them) and the conffiles list. CPack copies
# them with the permissions they have in the tree when STRICT_PERMISSION is on: 0755 scripts,
# 0644 conffiles.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${pkg}/conffiles ${pkg}/postinst ${pkg}/prerm ${pkg}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Documentation lintian asks every package for: the copyright file, and a changelog (a native
# package's is changelog.gz, compressed with gzip -9n). The changelog's date honours
# SOURCE_DATE_EPOCH, for a reproducible package.
string(TIMESTAMP VIGIL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${pkg}/changelog.in ${gen}/changelog @ONLY)

# The man pages, gzip -9n'd (no name or time stamp in the header, as lintian wants).
find_program(VIGIL_GZIP gzip REQUIRED)
set(gz_files)
foreach(src man/vigild.8 man/vigil-gateway.8 man/vigilctl.1 man/vigil-replay.1 ${gen}/changelog)
  get_filename_component(name ${src} NAME)
  get_filename_component(abs ${src} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
  add_custom_command(
    OUTPUT ${gen}/${name}.gz
    COMMAND ${VIGIL_GZIP} -9n -c ${abs} > ${gen}/${name}.gz
    DEPENDS ${abs}
    COMMENT "Compressing ${name}")
  list(APPEND gz_files ${gen}/${name}.gz)
endforeach()
add_custom_target(vigil_docs ALL DEPENDS ${gz_files})

install(FILES ${gen}/vigild.8.gz ${gen}/vigil-gateway.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${gen}/vigilctl.1.gz ${gen}/vigil-replay.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md ${pkg}/copyright ${gen}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${pkg}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME vigil)

# Only what ships is built for the package: `install`/cpack do not build `all` first (the
# test suite and the benchmarks). Build before `cmake --install` as the README says.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)

set(shipped vigild vigil-gateway vigilctl vigil-replay vigil_docs)
if(VIGIL_BUILD_DASHBOARD)
  list(APPEND shipped dashboard)
endif()
add_custom_target(deb
  COMMAND ${CMAKE_CPACK_COMMAND} -G DEB --config ${PROJECT_BINARY_DIR}/CPackConfig.cmake
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  COMMENT "Building the Debian package (cpack -G DEB)"
  VERBATIM)
add_dependencies(deb ${shipped})
