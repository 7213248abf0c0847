/* Rescore button: shows the background job's progress (done / total) until it ends, in
   the page's language (the status URL answers in it), or that no worker has taken it. */
ckan.module("mofcompliance-rescore", function ($) {
  return {
    options: {statusUrl: ""},
    initialize: function () {
      var url = this.options.statusUrl;
      var out = this.el.find(".mofcompliance-progress");
      // CKAN reads an empty data-module-status-url (no job running) as true, not ""
      if (typeof url !== "string" || !url) { return; }
      function poll() {
        $.getJSON(url).done(function (s) {
          out.text(s.text + (s.total ? " " + s.done + " / " + s.total : ""));
          if (s.status !== "finished" && s.status !== "failed") { setTimeout(poll, 1000); }
        });
      }
      poll();
    }
  };
});

/* "Refresh" beside the checks' progress: reload the page where it is (its #quality kept);
   without scripts the link loads the page afresh from its top. */
ckan.module("mofcompliance-reload", function ($) {
  return {
    initialize: function () {
      this.el.on("click", function (event) {
        event.preventDefault();
        window.location.reload();
      });
    }
  };
});
