// Visible signature appearances (Decree 30/2020/ND-CP Appendix I layouts, Vietnamese text).
// Node-only helpers (font loading) live in `./node/index.ts`.
export { AppearanceError } from './errors.js';
export type { AppearanceErrorCode } from './errors.js';
export { loadTemplate, parseLine, PLACEHOLDERS } from './template.js';
export type {
  AppearanceTemplate,
  TemplateBox,
  TemplateElement,
  TemplateImage,
  TemplateText,
  TemplateRect,
  TemplatePlacement,
  HorizontalAlign,
  VerticalAlign,
  PlaceholderToken,
} from './template.js';
export {
  APPROVAL_TEMPLATE,
  APPROVAL_IMAGE_TEMPLATE,
  ISSUANCE_TEMPLATE,
  ATTACHMENT_TEMPLATE,
  COPY_TEMPLATE,
  DEFAULT_TEMPLATES,
} from './default-templates.js';
export { COPY_TYPES, nfc, resolveLines, fitText, wrapLine, blockHeight } from './text.js';
export type { AppearanceData, TextMeasure, FittedText } from './text.js';
export { buildAppearance } from './build.js';
export type { AppearanceFonts, BuildAppearanceOptions, BuiltAppearance, DrawnText } from './build.js';
export {
  normalizeRotation,
  visibleBox,
  visibleSize,
  userToVisualPoint,
  visualToUserPoint,
  userToVisualRect,
  visualToUserRect,
  appearanceMatrix,
  placementFromVisual,
  placeByRect,
  placeAtCorner,
  placeNearAnchor,
  regionOnPage,
  PT_PER_MM,
} from './geometry.js';
export type { PdfRect, PdfMatrix, Rotation, PageGeometry, VisualRect, Placement, RectPlacementInput, AnchorPlacementOptions } from './geometry.js';
export { imageInfo, encodePng } from './image-info.js';
export type { ImageInfo } from './image-info.js';
export { serializeGraph, serializeObject, formatValue, formatName, formatNumber, pv } from './portable.js';
export type {
  PortableGraph,
  PortableObject,
  PortableValue,
  PortableName,
  PortableRef,
  PortableString,
  PortableArray,
  PortableDict,
} from './portable.js';
export { copyGraphInto, toPdfObject, pageGeometry } from './pdf-update.js';
export { findAnchor, findAnchors } from './anchor.js';
export type { FindAnchorOptions, AnchorMatch, PdfjsLike } from './anchor.js';
export { buildPageText, addPageText } from './page-text.js';
export type { PageText, PageTextItem } from './page-text.js';
export { placeByTemplate, templateRegion, placeIssuanceOverSignature, elementOnPage } from './template-placement.js';
export type { IssuancePlacementOptions } from './template-placement.js';
export { visibleSignature, appearanceDataFromCertificate } from './visible-signature.js';
export type { LayoutName, VisiblePlacement, VisibleSignatureOptions, VisibleSignature } from './visible-signature.js';
