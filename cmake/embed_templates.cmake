# Embeds every file under templates/ into the binary, as text and parsed ahead of time (see
# cmake/embed_templates.cpp), so that render needs no files at run time and parses no template YAML at start.
# Regenerated whenever a template or the tool changes.
file(GLOB_RECURSE MLSERVE_TEMPLATE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/templates/*.yaml")
set(MLSERVE_EMBEDDED_CPP "${CMAKE_BINARY_DIR}/generated/embedded_templates.cpp")
# The list of files is a dependency too: removing or renaming a template changes no remaining file, so
# without it the table would keep the removed template.
set(MLSERVE_TEMPLATE_LIST "${CMAKE_BINARY_DIR}/generated/embedded_templates.list")
string(REPLACE ";" "\n" mlserve_template_list_text "${MLSERVE_TEMPLATE_FILES}")
file(CONFIGURE OUTPUT "${MLSERVE_TEMPLATE_LIST}" CONTENT "${mlserve_template_list_text}\n")

add_executable(mlserve_embed_templates ${CMAKE_SOURCE_DIR}/cmake/embed_templates.cpp)
target_link_libraries(mlserve_embed_templates PRIVATE mlserve_core mlserve_warnings)
add_custom_command(
  OUTPUT ${MLSERVE_EMBEDDED_CPP}
  COMMAND mlserve_embed_templates ${CMAKE_SOURCE_DIR}/templates ${MLSERVE_EMBEDDED_CPP}
  DEPENDS mlserve_embed_templates ${MLSERVE_TEMPLATE_FILES} ${MLSERVE_TEMPLATE_LIST}
  COMMENT "Embedding templates/")
