# Embeds every file under templates/ into the binary as a table of (path, text) pairs, so that
# render needs no files at run time. Regenerated whenever a template changes.
file(GLOB_RECURSE MLSERVE_TEMPLATE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/templates/*.yaml")
set(MLSERVE_EMBEDDED_CPP "${CMAKE_BINARY_DIR}/generated/embedded_templates.cpp")
# The list of files is a dependency too: removing or renaming a template changes no remaining file, so
# without it the table would keep the removed template.
set(MLSERVE_TEMPLATE_LIST "${CMAKE_BINARY_DIR}/generated/embedded_templates.list")
string(REPLACE ";" "\n" mlserve_template_list_text "${MLSERVE_TEMPLATE_FILES}")
file(CONFIGURE OUTPUT "${MLSERVE_TEMPLATE_LIST}" CONTENT "${mlserve_template_list_text}\n")
add_custom_command(
  OUTPUT ${MLSERVE_EMBEDDED_CPP}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR}/templates -DOUTPUT=${MLSERVE_EMBEDDED_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_templates_run.cmake
  DEPENDS ${MLSERVE_TEMPLATE_FILES} ${MLSERVE_TEMPLATE_LIST} ${CMAKE_SOURCE_DIR}/cmake/embed_templates_run.cmake
  COMMENT "Embedding templates/")
