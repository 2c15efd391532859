/**
 * Bootstrap Italia, built by esbuild from the npm package's own ES modules with only what the
 * templates use (scripts/vendor_assets.py, `make install`): the full bundle (996 KiB, with
 * video.js, the font loader and widgets no page has) was replaced by this one.
 *
 * - track-focus: marks focus given by the mouse (data-focus-mouse), so Bootstrap Italia's CSS
 *   shows the focus ring to keyboard users only, as it did with the full bundle;
 * - Collapse and NavBarCollapsible: the data-bs-toggle="collapse" / "navbarcollapsible"
 *   behaviours of Bootstrap Italia's header menu on small screens.
 *
 * Not included, so not available to templates: the font loader (it injects an inline <style>
 * that our Content Security Policy refuses: static/vendor/fonts.css does its job), modal,
 * dropdown, tooltip, popover, carousel, video player, form widgets. To use one, export it here
 * from 'bootstrap-italia/src/js/plugins/…' and enable its SCSS in assets/scss.
 */
export { default as TrackFocus } from 'bootstrap-italia/src/js/plugins/track-focus'
export { default as Collapse } from 'bootstrap-italia/src/js/plugins/collapse'
export { default as NavBarCollapsible } from 'bootstrap-italia/src/js/plugins/navbar-collapsible'
