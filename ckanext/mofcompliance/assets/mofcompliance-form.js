/* Dataset form: show the fields of the chosen data type only (item 1, ประเภทข้อมูล).
 * The select carries the value → code map (data-module-codes); each type-specific
 * field carries the codes it belongs to (data-mofcompliance-types="S G"). */
ckan.module("mofcompliance-data-type", function ($) {
  return {
    options: {codes: {}},
    initialize: function () {
      var select = this.el;
      var codes = this.options.codes;
      var form = select.closest("form");
      function update() {
        var code = codes[select.val()];
        form.find("[data-mofcompliance-types]").each(function () {
          var types = $(this).attr("data-mofcompliance-types").split(" ");
          $(this).closest(".form-group, .control-group")
            .toggle(!code || types.indexOf(code) !== -1);
        });
      }
      select.on("change", update);
      update();
    }
  };
});
