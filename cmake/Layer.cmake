# securescore_layer(NAME DEPS ...): one static library per folder of src/securescore.
# Sources are the folder's *.cpp minus *_test.cpp / *_benchmark.cpp; the tests beside them
# become one GoogleTest binary per layer, registered with CTest. Layers may only link the
# layers below them, which is what keeps the architecture honest.
function(securescore_layer name)
  cmake_parse_arguments(L "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB_RECURSE all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  set(srcs)
  set(tests)
  foreach(f IN LISTS all)
    if(f MATCHES "_test\\.cpp$")
      list(APPEND tests ${f})
    elseif(f MATCHES "_benchmark\\.cpp$" OR f MATCHES "/main\\.cpp$")
    else()
      list(APPEND srcs ${f})
    endif()
  endforeach()
  add_library(securescore_${name} STATIC ${srcs})
  target_include_directories(securescore_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(securescore_${name} PUBLIC ${L_DEPS})
  if(SECURESCORE_TESTS AND tests)
    add_executable(securescore_${name}_test ${tests})
    target_link_libraries(securescore_${name}_test PRIVATE securescore_${name} ${L_TEST_DEPS}
                          GTest::gtest GTest::gmock GTest::gtest_main)
    target_compile_definitions(securescore_${name}_test PRIVATE
      SECURESCORE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      SECURESCORE_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/../shared/fixtures")
    gtest_discover_tests(securescore_${name}_test DISCOVERY_TIMEOUT 60
                         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  endif()
endfunction()
