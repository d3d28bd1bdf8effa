# One golden replay: DATA/NAME.csv -> import-csv -> offline [--config DATA/NAME.toml] ->
# compared byte for byte with DATA/expected/NAME.jsonl. With -DUPDATE=ON it writes the expected
# file instead: then READ it against alarms.md before committing (tests/data/replay/README.md).
# cmake -DREPLAY=... -DNAME=... -DBED=... -DDATA=... -DWORK=... [-DUPDATE=ON] -P golden.cmake
set(start_ms 1700000000000)  # 2023-11-14T22:13:20Z, the same for every scenario
file(MAKE_DIRECTORY ${WORK})
set(rec ${WORK}/${NAME}.rec)
set(actual ${WORK}/${NAME}.jsonl)
set(expected ${DATA}/expected/${NAME}.jsonl)

execute_process(
  COMMAND ${REPLAY} import-csv ${DATA}/${NAME}.csv --bed ${BED} --start-ms ${start_ms} -o ${rec}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "import-csv failed (${rc}):\n${err}")
endif()

set(config_args)
if(EXISTS ${DATA}/${NAME}.toml)
  set(config_args --config ${DATA}/${NAME}.toml)
endif()
execute_process(
  COMMAND ${REPLAY} offline ${rec} ${config_args}
  RESULT_VARIABLE rc OUTPUT_FILE ${actual} ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "offline failed (${rc}):\n${err}")
endif()
if(err)
  message(STATUS "offline warnings:\n${err}")
endif()

if(UPDATE)
  configure_file(${actual} ${expected} COPYONLY)
  message(STATUS "wrote ${expected}: review it against alarms.md")
  return()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${actual} ${expected}
                RESULT_VARIABLE differ)
if(differ)
  execute_process(COMMAND diff -u ${expected} ${actual} OUTPUT_VARIABLE diff)
  message(FATAL_ERROR "${NAME}: output differs from ${expected}:\n${diff}")
endif()
