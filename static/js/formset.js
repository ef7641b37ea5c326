// « Ajouter une ligne » in a formset (templates/households/form.html): clones the formset's
// empty form (its <template>), numbered after the last line, and counts it in TOTAL_FORMS.
// Without JavaScript the page offers a few blank lines and the button stays hidden.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var prefix = formset.getAttribute("data-formset");
    var total = formset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = formset.querySelector("template[data-formset-empty]");
    var rows = formset.querySelector("[data-formset-rows]");
    var button = formset.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      row.querySelector("legend").textContent = "Membre " + (index + 1);
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
});
