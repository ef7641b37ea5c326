// One error pattern for every form (templates/_form_errors.html): the summary of a form's
// errors takes the focus when the page loads, so that a screen reader reads it and the
// keyboard starts from it; its links move to each field. And the browser's own (English)
// validation bubbles never show: every form is `novalidate`, this only covers a form
// written without it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
