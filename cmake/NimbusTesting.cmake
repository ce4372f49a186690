# nimbus_add_test(NAME SOURCES ... LIBS ... LABELS ... [ENVIRONMENT ...] [TIMEOUT s])
# One test class per executable; the executable name is the test name.
function(nimbus_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE nimbus_common_cfg Qt6::Test ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "NIMBUS_SOURCE_DIR=${PROJECT_SOURCE_DIR};NIMBUS_SHARED_DIR=${NIMBUS_SHARED_DIR};NIMBUS_BINARY_DIR=${PROJECT_BINARY_DIR};${ARG_ENVIRONMENT}")
endfunction()
