# Warnings for the code we write, set in one place: -Wall -Wextra on every C++ target of the
# tree (host and device side for CUDA), walked after all targets exist so no CMakeLists needs
# a line. Generated code is left quiet (-w): protobuf's .pb.cc and AUTOMOC's mocs_compilation.cpp
# are their generators' style, not ours. PAPERLAB_WERROR makes the warnings errors.

option(PAPERLAB_WERROR "Treat compiler warnings as errors" OFF)

function(_paperlab_targets_in dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    _paperlab_targets_in(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# -Wno-missing-field-initializers: aggregates such as Sweep{"seq_len", {...}} leave their
# later members to the default member initializers on purpose; -Wextra would flag each one.
# -Winvalid-pch: a test whose macros differ from its folder's shared precompiled header
# would otherwise parse every header again without a word (PaperlabTest.cmake).
function(paperlab_enable_warnings)
  set(cxx -Wall -Wextra -Wno-missing-field-initializers -Winvalid-pch)
  set(cuda -Xcompiler=-Wall,-Wextra,-Wno-missing-field-initializers)
  if(PAPERLAB_WERROR)
    list(APPEND cxx -Werror)
    list(APPEND cuda -Werror=all-warnings -Xcompiler=-Werror)
  endif()
  _paperlab_targets_in(${CMAKE_SOURCE_DIR} targets)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
      continue()
    endif()
    target_compile_options(${t} PRIVATE "$<$<COMPILE_LANGUAGE:CXX>:${cxx}>" "$<$<COMPILE_LANGUAGE:CUDA>:${cuda}>")
    get_target_property(sources ${t} SOURCES)
    list(FILTER sources INCLUDE REGEX "\\.pb\\.cc$")
    get_target_property(automoc ${t} AUTOMOC)
    if(automoc)
      get_target_property(bindir ${t} BINARY_DIR)
      list(APPEND sources "${bindir}/${t}_autogen/mocs_compilation.cpp")
    endif()
    if(sources)
      set_source_files_properties(${sources} TARGET_DIRECTORY ${t} PROPERTIES COMPILE_OPTIONS -w)
    endif()
  endforeach()
endfunction()
