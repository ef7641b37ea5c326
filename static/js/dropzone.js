// Drag and drop onto the upload form (progressive enhancement: the file field works alone).
// Files dropped anywhere on the form join those already chosen in the « Fichiers » field.
(function () {
  "use strict";
  var form = document.querySelector("form[data-dropzone]");
  if (!form || typeof DataTransfer === "undefined") return;
  var input = form.querySelector("input[type=file][multiple]");
  if (!input) return;
  var list = document.createElement("ul");
  list.className = "dropped-files";
  input.parentNode.insertBefore(list, input.nextSibling);
  form.classList.add("dropzone");

  function show() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " Ko)";
      list.appendChild(item);
    });
  }
  ["dragenter", "dragover"].forEach(function (name) {
    form.addEventListener(name, function (event) {
      event.preventDefault();
      form.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    form.addEventListener(name, function () { form.classList.remove("dragging"); });
  });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { all.items.add(file); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { all.items.add(file); });
    input.files = all.files;
    show();
  });
  input.addEventListener("change", show);
})();
