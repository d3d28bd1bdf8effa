# CPack runs this (CPACK_PRE_BUILD_SCRIPTS) once the files are installed in its staging tree,
# before it writes the archive. CPACK_STRIP_FILES runs a plain `strip`; this also drops the
# .comment and .note sections (the compiler's version strings), as dh_strip does, which is
# what lintian's binary-has-unneeded-section asks for.
file(GLOB_RECURSE binaries "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/bin/*")
if(NOT binaries)
  message(FATAL_ERROR "strip.cmake: no binaries under ${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
endif()
foreach(binary IN LISTS binaries)
  execute_process(
    COMMAND "${CPACK_VIGIL_STRIP}" --remove-section=.comment --remove-section=.note
            --strip-unneeded "${binary}"
    COMMAND_ERROR_IS_FATAL ANY)
endforeach()
