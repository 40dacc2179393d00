// Before first paint: tell GOV.UK Frontend's CSS that JavaScript runs, so components style themselves for it.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
