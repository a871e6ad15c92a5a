import type { Schema, Struct } from '@strapi/strapi';

export interface CommerceExtraPrice extends Struct.ComponentSchema {
  collectionName: 'components_commerce_extra_prices';
  info: {
    description: "A price in another currency than the course's default; the storefront and checkout pick it by the learner's currency or language.";
    displayName: 'Extra price';
    icon: 'priceTag';
  };
  attributes: {
    amount: Schema.Attribute.Integer &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMax<
        {
          max: 100000000;
          min: 0;
        },
        number
      >;
    currency: Schema.Attribute.Enumeration<
      ['usd', 'eur', 'gbp', 'cny', 'jpy']
    > &
      Schema.Attribute.Required;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'commerce.extra-price': CommerceExtraPrice;
    }
  }
}
