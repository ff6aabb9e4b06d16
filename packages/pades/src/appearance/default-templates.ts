import type { AppearanceTemplate } from './template.js';

// The four layouts of Decree 30/2020/ND-CP Appendix I (see shared/DECREE30.md). Positions are
// fractions of the box from its top-left corner; an agency changes them with its own JSON.

const TIME = 'dd/MM/yyyy HH:mm:ss +07:00';

/**
 * The competent person's signature (Decree 30/2020 Appendix I): the handwritten signature image
 * (blue, transparent PNG) on the left, and on the right the block signing tools add in practice:
 * "Người ký", "Cơ quan", "Chức vụ", "Thời gian ký" in +07:00. Placed between the title line
 * ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH") and the signer's name. Hide the block with
 * `hide: ['details']`, or use {@link APPROVAL_IMAGE_TEMPLATE}.
 */
export const APPROVAL_TEMPLATE: AppearanceTemplate = Object.freeze({
  kyso: 'appearance-template/1',
  name: 'approval',
  description: 'Chữ ký số của người có thẩm quyền: hình ảnh chữ ký và thông tin người ký',
  size: Object.freeze({ width: 230, height: 72 }),
  timeFormat: TIME,
  elements: Object.freeze([
    Object.freeze({
      type: 'image',
      id: 'signature',
      image: 'signature',
      box: Object.freeze({ x: 0, y: 0, width: 0.46, height: 1 }),
      fit: 'contain',
      align: 'center',
      valign: 'middle',
    }),
    Object.freeze({
      type: 'text',
      id: 'details',
      box: Object.freeze({ x: 0.48, y: 0, width: 0.52, height: 1 }),
      lines: Object.freeze(['Người ký: {signerName}', 'Cơ quan: {agency}', 'Chức vụ: {title}', 'Thời gian ký: {signingTime}']),
      font: 'regular',
      size: 7,
      minSize: 5,
      lineHeight: 1.25,
      color: '#000000',
      align: 'left',
      valign: 'middle',
    }),
  ]),
}) as AppearanceTemplate;

/** The competent person's signature as the decree draws it: the signature image only. */
export const APPROVAL_IMAGE_TEMPLATE: AppearanceTemplate = Object.freeze({
  kyso: 'appearance-template/1',
  name: 'approval-image',
  description: 'Chữ ký số của người có thẩm quyền: chỉ hình ảnh chữ ký',
  size: Object.freeze({ width: 140, height: 70 }),
  timeFormat: TIME,
  elements: Object.freeze([
    Object.freeze({
      type: 'image',
      id: 'signature',
      image: 'signature',
      box: Object.freeze({ x: 0, y: 0, width: 1, height: 1 }),
      fit: 'contain',
      align: 'center',
      valign: 'middle',
    }),
  ]),
}) as AppearanceTemplate;

/**
 * The agency's signature on the document it issues (Decree 30/2020 Appendix I): the red seal at
 * its real size (36 mm unless `realWidthMm` or the PNG's pHYs says otherwise), placed over the
 * left third of the competent person's signature image (see `placeIssuanceOverSignature`),
 * with the agency name and the issuing time in +07:00 under it.
 */
export const ISSUANCE_TEMPLATE: AppearanceTemplate = Object.freeze({
  kyso: 'appearance-template/1',
  name: 'issuance',
  description: 'Chữ ký số của cơ quan, tổ chức: hình ảnh con dấu, tên cơ quan và thời gian ký',
  size: Object.freeze({ width: 130, height: 124 }),
  timeFormat: TIME,
  elements: Object.freeze([
    Object.freeze({
      type: 'image',
      id: 'seal',
      image: 'seal',
      box: Object.freeze({ x: 0, y: 0, width: 1, height: 0.83 }),
      fit: 'real-size',
      realWidthMm: 36,
      align: 'center',
      valign: 'middle',
    }),
    Object.freeze({
      type: 'text',
      id: 'details',
      box: Object.freeze({ x: 0, y: 0.83, width: 1, height: 0.17 }),
      lines: Object.freeze(['{agency}', '{signingTime}']),
      font: 'regular',
      size: 6.5,
      minSize: 4.5,
      lineHeight: 1.2,
      color: '#000000',
      align: 'center',
      valign: 'top',
    }),
  ]),
}) as AppearanceTemplate;

/**
 * The agency's signature on an attachment in a separate file (Decree 30/2020 Appendix I): no
 * image; at the top right of the first page the number and symbol of the main document and the
 * signing time, Times New Roman (here the metric-compatible Tinos), lower case, upright, 10 pt,
 * black.
 */
export const ATTACHMENT_TEMPLATE: AppearanceTemplate = Object.freeze({
  kyso: 'appearance-template/1',
  name: 'attachment',
  description: 'Chữ ký số của cơ quan, tổ chức trên văn bản kèm theo',
  size: Object.freeze({ width: 200, height: 30 }),
  timeFormat: TIME,
  elements: Object.freeze([
    Object.freeze({
      type: 'text',
      id: 'details',
      box: Object.freeze({ x: 0, y: 0, width: 1, height: 1 }),
      lines: Object.freeze(['{docNumber}', '{signingTime}']),
      font: 'regular',
      size: 10,
      minSize: 7,
      lineHeight: 1.15,
      color: '#000000',
      align: 'right',
      valign: 'top',
    }),
  ]),
  defaultPlacement: Object.freeze({ page: 1, corner: 'top-right', marginX: 42.5, marginY: 14 }),
}) as AppearanceTemplate;

/**
 * The copying agency's signature on a digital copy (sao y, sao lục, trích sao; Decree 30/2020
 * Appendix I): no image; at the top right of the first page the copy type, the copying agency
 * and the signing time, 10 pt, upright, black.
 */
export const COPY_TEMPLATE: AppearanceTemplate = Object.freeze({
  kyso: 'appearance-template/1',
  name: 'copy',
  description: 'Chữ ký số của cơ quan, tổ chức trên bản sao văn bản điện tử',
  size: Object.freeze({ width: 220, height: 44 }),
  timeFormat: TIME,
  elements: Object.freeze([
    Object.freeze({
      type: 'text',
      id: 'details',
      box: Object.freeze({ x: 0, y: 0, width: 1, height: 1 }),
      lines: Object.freeze(['{copyType}', '{copyAgency}', '{signingTime}']),
      font: 'regular',
      size: 10,
      minSize: 7,
      lineHeight: 1.15,
      color: '#000000',
      align: 'right',
      valign: 'top',
    }),
  ]),
  defaultPlacement: Object.freeze({ page: 1, corner: 'top-right', marginX: 42.5, marginY: 14 }),
}) as AppearanceTemplate;

/** The default template of each layout, by name. */
export const DEFAULT_TEMPLATES: Readonly<Record<'approval' | 'approval-image' | 'issuance' | 'attachment' | 'copy', AppearanceTemplate>> =
  Object.freeze({
    approval: APPROVAL_TEMPLATE,
    'approval-image': APPROVAL_IMAGE_TEMPLATE,
    issuance: ISSUANCE_TEMPLATE,
    attachment: ATTACHMENT_TEMPLATE,
    copy: COPY_TEMPLATE,
  });
