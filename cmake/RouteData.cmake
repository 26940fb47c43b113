# ec_route_data_source(<out-var> <namespace>): a generated C++ source holding the route catalogues
# of core/data/routes/ as kRoutesMilady, kRoutesEliza and kRoutesExtra in <namespace>. The core
# and the emulator each embed them (the emulator does not link the core).
set(EC_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFiles.cmake)
set(EC_ROUTE_DATA_DIR ${CMAKE_CURRENT_LIST_DIR}/../core/data/routes)
function(ec_route_data_source out_var namespace)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/generated/route_data.cpp)
    set(files ${EC_ROUTE_DATA_DIR}/routes-milady.json ${EC_ROUTE_DATA_DIR}/routes-eliza.json
              ${EC_ROUTE_DATA_DIR}/routes-extra.json)
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${namespace}
                "-DENTRIES=kRoutesMilady=${EC_ROUTE_DATA_DIR}/routes-milady.json|kRoutesEliza=${EC_ROUTE_DATA_DIR}/routes-eliza.json|kRoutesExtra=${EC_ROUTE_DATA_DIR}/routes-extra.json"
                -P ${EC_EMBED_SCRIPT}
        DEPENDS ${files} ${EC_EMBED_SCRIPT}
        COMMENT "Embedding the route catalogues"
        VERBATIM)
    set(${out_var} ${out} PARENT_SCOPE)
endfunction()

# ec_dashboard_data_source(<out-var> <namespace>): a generated C++ source holding every file of
# core/data/dashboard/ (the local web dashboard) and <namespace>::dashboard_files() listing them.
# Text files only (.html .js .css .svg .json): they become raw string literals.
set(EC_DASHBOARD_DIR ${CMAKE_CURRENT_LIST_DIR}/../core/data/dashboard)
function(ec_dashboard_data_source out_var namespace)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/generated/dashboard_data.cpp)
    file(GLOB files CONFIGURE_DEPENDS ${EC_DASHBOARD_DIR}/*)
    list(SORT files)
    set(entries "")
    set(index 0)
    foreach(file IN LISTS files)
        if(NOT file MATCHES "\\.(html|js|css|svg|json)$")
            message(FATAL_ERROR "${file}: the dashboard embeds text files only (.html .js .css .svg .json)")
        endif()
        list(APPEND entries "kDashboardFile${index}=${file}")
        math(EXPR index "${index} + 1")
    endforeach()
    if(NOT entries)
        message(FATAL_ERROR "${EC_DASHBOARD_DIR} holds no file")
    endif()
    string(REPLACE ";" "|" entries "${entries}")
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${namespace} -DINDEX=dashboard_files
                "-DENTRIES=${entries}" -P ${EC_EMBED_SCRIPT}
        DEPENDS ${files} ${EC_EMBED_SCRIPT}
        COMMENT "Embedding the dashboard"
        VERBATIM)
    set(${out_var} ${out} PARENT_SCOPE)
endfunction()
