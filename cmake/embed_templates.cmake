# Embeds every templates/**/*.yaml into the binary. A host tool (packaging/tools/embed_templates.cpp, linked with
# mlserve_lib) parses and compiles each file at build time, so a bad template fails the build with file:line:col,
# and writes a C++ table with each file's text and its parsed documents in a compact binary form
# (render/encoded.hpp): start-up decodes those instead of parsing YAML. Included after mlserve_lib is defined.
file(GLOB_RECURSE MLSERVE_TEMPLATE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/templates/*.yaml")
set(MLSERVE_EMBEDDED_CPP "${CMAKE_BINARY_DIR}/generated/embedded_templates.cpp")
# The list of files is a dependency too: removing or renaming a template changes no remaining file, so
# without it the table would keep the removed template.
set(MLSERVE_TEMPLATE_LIST "${CMAKE_BINARY_DIR}/generated/embedded_templates.list")
string(REPLACE ";" "\n" mlserve_template_list_text "${MLSERVE_TEMPLATE_FILES}")
file(CONFIGURE OUTPUT "${MLSERVE_TEMPLATE_LIST}" CONTENT "${mlserve_template_list_text}\n")

add_executable(mlserve-embed-templates "${CMAKE_SOURCE_DIR}/packaging/tools/embed_templates.cpp")
target_link_libraries(mlserve-embed-templates PRIVATE mlserve_lib mlserve_warnings)
set_target_properties(mlserve-embed-templates PROPERTIES MLSERVE_HOST_TOOL ON)

add_custom_command(
  OUTPUT ${MLSERVE_EMBEDDED_CPP}
  COMMAND mlserve-embed-templates ${MLSERVE_EMBEDDED_CPP} ${CMAKE_SOURCE_DIR}/templates
  DEPENDS mlserve-embed-templates ${MLSERVE_TEMPLATE_FILES} ${MLSERVE_TEMPLATE_LIST}
  COMMENT "Embedding templates/")

# The table is a library of its own because the tool that writes it links mlserve_lib: every other target
# that links mlserve_lib gets it as well (after mlserve_lib, whose render code refers to it).
add_library(mlserve_templates STATIC ${MLSERVE_EMBEDDED_CPP})
target_include_directories(mlserve_templates PRIVATE ${CMAKE_SOURCE_DIR}/lib)
target_link_libraries(mlserve_templates PRIVATE mlserve_warnings)
target_link_libraries(mlserve_lib INTERFACE "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:MLSERVE_HOST_TOOL>>>:mlserve_templates>")
