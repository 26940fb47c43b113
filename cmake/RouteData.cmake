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
