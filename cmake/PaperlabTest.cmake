# paperlab_add_test(NAME [SOURCES extra...] LIBRARIES libs... [LABEL label] [PREFIX p]
#                   [TIMEOUT s] [DEFINITIONS defs...] [ENVIRONMENT vars...])
# The one way a Qt Test class becomes a CTest test: NAME.cpp (plus SOURCES) built with AUTOMOC
# and linked to LIBRARIES and Qt6::Test, registered as PREFIX + NAME with LABEL, run offscreen.
# Every tests/*/CMakeLists.txt uses it, so a new test is one line. Without TIMEOUT the test
# preset's applies.
include_guard(GLOBAL)

function(paperlab_add_test name)
  cmake_parse_arguments(T "" "LABEL;PREFIX;TIMEOUT" "SOURCES;LIBRARIES;DEFINITIONS;ENVIRONMENT" ${ARGN})
  if(T_ENVIRONMENT)
    list(PREPEND T_ENVIRONMENT "")   # joins as ";VAR=value" after the offscreen platform
  endif()
  add_executable(${name} ${name}.cpp ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBRARIES} Qt6::Test)
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  if(T_DEFINITIONS)
    target_compile_definitions(${name} PRIVATE ${T_DEFINITIONS})
  endif()
  add_test(NAME ${T_PREFIX}${name} COMMAND ${name})
  set_tests_properties(${T_PREFIX}${name} PROPERTIES LABELS "${T_LABEL}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen${T_ENVIRONMENT}")
  if(T_TIMEOUT)
    set_tests_properties(${T_PREFIX}${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  endif()
endfunction()

# Every tst_*.cpp of the calling folder, each through paperlab_add_test with the same options.
function(paperlab_add_tests_in_folder)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tst_*.cpp)
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    paperlab_add_test(${name} ${ARGN})
  endforeach()
endfunction()
