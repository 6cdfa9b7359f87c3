/* Run before the list of events is drawn (a blocking script of a few hundred bytes, placed just
 * above it): when the address asks for a search or an order (a shared link, a reload), the list
 * and the footer are kept out of sight until search.js has shown the matches, so that the events
 * that do not match are never seen going away and nothing is seen moving. CSS shows them anyway
 * after a few seconds, should search.js never run. */
(function () {
  "use strict";
  if (/[?&](q|tag|actor|place|status|from|to|order)=[^&]/.test(location.search)) {
    document.documentElement.classList.add("search-pending");
  }
})();
