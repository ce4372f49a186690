# Tests of the control socket (helper/control) and its clients (ui/client, nimbusctl). Included from
# tests/helper/CMakeLists.txt.
add_library(nimbus_controltestsupport STATIC
    ${CMAKE_CURRENT_LIST_DIR}/tst_controlsupport.h ${CMAKE_CURRENT_LIST_DIR}/tst_controlsupport.cpp)
target_link_libraries(nimbus_controltestsupport PUBLIC nimbus_common_cfg nimbus_helper nimbus_protocol Qt6::Network Qt6::Test)

nimbus_add_test(tst_controlserver SOURCES tst_controlserver.cpp
    LIBS nimbus_controltestsupport nimbus_helper nimbus_testsupport LABELS unit)
nimbus_add_test(tst_controlevents SOURCES tst_controlevents.cpp
    LIBS nimbus_controltestsupport nimbus_helper nimbus_testsupport LABELS unit)
nimbus_add_test(tst_controlclient SOURCES tst_controlclient.cpp
    LIBS nimbus_controltestsupport nimbus_client nimbus_helper nimbus_testsupport LABELS unit)
nimbus_add_test(tst_controlctl SOURCES tst_controlctl.cpp
    LIBS nimbus_controltestsupport nimbus_helper nimbus_testsupport LABELS unit)
target_compile_definitions(tst_controlctl PRIVATE NIMBUSCTL_PATH="$<TARGET_FILE:nimbusctl>")
add_dependencies(tst_controlctl nimbusctl)
