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
# The folder's tests share one precompiled header (Qt Test and the Qt headers most of them
# include): parsing those headers was about half of each test's compile, and the tests are
# compiled twice in CI (GCC, then clang under ASan). A test the folder's CMakeLists gives more
# libraries compiles with other Qt module macros, which the shared header was not made with:
# OWN_HEADERS names those (they parse their headers themselves).
function(paperlab_add_tests_in_folder)
  cmake_parse_arguments(F "" "" "OWN_HEADERS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tst_*.cpp)
  set(owner "")
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    paperlab_add_test(${name} ${F_UNPARSED_ARGUMENTS})
    if(NOT PAPERLAB_PRECOMPILED_HEADERS OR name IN_LIST F_OWN_HEADERS)
      continue()
    endif()
    if(owner STREQUAL "")
      set(owner ${name})
      target_precompile_headers(${name} PRIVATE <QTest> <QSignalSpy> <QTemporaryDir> <QFile> <QDir> <QFileInfo>
                                                <QJsonDocument> <QJsonObject> <QJsonArray>)
    else()
      target_precompile_headers(${name} REUSE_FROM ${owner})
    endif()
  endforeach()
endfunction()
