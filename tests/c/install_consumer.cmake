cmake_minimum_required(VERSION 3.22)
# cmake -DBUILD_DIR=<build> -DWORK=<scratch dir> -DSOURCE=<tests/c> -P install_consumer.cmake
# Installs the runtime and dev components into a scratch prefix, then builds and runs a host
# program against them twice: through find_package(elizacloud) and through pkg-config.
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
foreach(component runtime dev)
    run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component ${component})
endforeach()

# find_package
run(${CMAKE_COMMAND} -S ${SOURCE}/consumer -B ${WORK}/consumer -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK}/consumer)
run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/lib ${WORK}/consumer/consumer)
message(STATUS "find_package consumer: ${last_output}")

# pkg-config
find_program(PKG_CONFIG pkg-config REQUIRED)
run(${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/lib/pkgconfig
    ${PKG_CONFIG} --cflags --libs elizacloud)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(cc -std=c99 -pedantic -Werror ${SOURCE}/header_c99.c ${flags} -o ${WORK}/pc_consumer)
run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/lib ${WORK}/pc_consumer)
message(STATUS "pkg-config consumer: ${last_output}")

# The rest of the installation: the plugin module and its header, the emulator, the example host
# (which loads the installed plugin and refuses a plain http:// URL without the opt-in).
foreach(file lib/elizacloud/elizacloud_plugin.so include/elizacloud/elizacloud_plugin.h
             bin/elizacloud-emulator bin/elizacloud_plugin_host)
    if(NOT EXISTS ${prefix}/${file})
        message(FATAL_ERROR "not installed: ${file}")
    endif()
endforeach()
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=ELIZACLOUD_INSECURE_LOCAL
            ${prefix}/bin/elizacloud_plugin_host ${prefix}/lib/elizacloud/elizacloud_plugin.so
            http://127.0.0.1:9
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "ELIZACLOUD_INSECURE_LOCAL=1")
    message(FATAL_ERROR "the installed host did not refuse plain http:// (${rc}):\n${out}\n${err}")
endif()
message(STATUS "installed plugin, emulator and example host: ${out}")
