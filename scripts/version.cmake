# Writes ${OUT} with the suite's git description at build time (not only
# when CMake configures), rewriting it only when it changes.  A copy
# without .git (scripts/fleet packs one) carries its description in
# .hvobench-version.
if(EXISTS ${SRC}/.hvobench-version)
  file(STRINGS ${SRC}/.hvobench-version v LIMIT_COUNT 1)
else()
  execute_process(COMMAND git describe --always --dirty --tags
    WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE v
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT v)
  set(v unknown)
endif()
set(text "#define HVOBENCH_VERSION \"${v}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
