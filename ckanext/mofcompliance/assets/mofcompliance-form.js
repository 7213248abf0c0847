/* Dataset form: show what applies as the steward chooses (templates/scheming/package/
 * snippets/package_form.html). A block with data-mofcompliance-types="S G" shows once one
 * of these data types is chosen; a "please specify" box with data-mofcompliance-other-of
 * shows while its field has the choice data-mofcompliance-other-when, or while it holds
 * text. Without this script every field stays shown; the server checks everything. */
/* CKAN's URL preview makes the name from the title's Latin letters only: a Thai-only title
 * leaves it empty and the save fails. Such a title gets a short unique name instead (as
 * the server gives one sent without a name), shown in the preview and editable there. */
function nameFromTitle(title, name) {
  if (!title.length || !name.length || name.val()) { return; }
  var fallback = "dataset-" +
    ("0000000" + Math.floor(Math.random() * 0x100000000).toString(16)).slice(-8);
  var typed = false;
  name.on("keypress", function () { typed = true; });
  title.on("input keyup", function () {
    // After CKAN's own handler has set the name from the title.
    window.setTimeout(function () {
      if (!typed && !name.val() && title.val().trim()) { name.val(fallback).trigger("change"); }
    }, 0);
  });
}

ckan.module("mofcompliance-dataset-form", function ($) {
  return {
    options: {codes: {}},
    initialize: function () {
      var root = this.el;
      var codes = this.options.codes;
      function chosen(name) {
        var field = root.find("[name='" + name + "']");
        return field.is("select") ? [field.val()] :
          field.filter(":checked").map(function () { return this.value; }).get();
      }
      function applies(block, code) {
        var types = block.attr("data-mofcompliance-types");
        return !types || types.split(" ").indexOf(code) !== -1;
      }
      function specified(block) {
        var parent = block.attr("data-mofcompliance-other-of");
        return !parent || !!block.find("input, textarea").val() ||
          chosen(parent).indexOf(block.attr("data-mofcompliance-other-when")) !== -1;
      }
      function update() {
        var code = codes[root.find("[name='data_type']").val()];
        root.find("[data-mofcompliance-type-block]").prop("hidden", !code);
        root.find(".mofcompliance-field").each(function () {
          var block = $(this);
          block.prop("hidden", !(applies(block, code) && specified(block)));
        });
      }
      nameFromTitle(root.find("#field-title"), root.find("#field-name"));
      root.addClass("mofcompliance-scripted");
      root.on("change", "select, input[type='checkbox']", update);
      update();
    }
  };
});
