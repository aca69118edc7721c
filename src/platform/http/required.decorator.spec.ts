import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validateSync } from 'class-validator';
import { Required } from './required.decorator.js';

class UpdateThing {
  @IsOptional()
  @IsString()
  title?: string;
}

class CreateThing extends UpdateThing {
  @IsString()
  @Required()
  override title: string;
}

class CreateThingWithoutRequired extends UpdateThing {
  @IsString()
  override title: string;
}

const errorsOf = (cls: new () => object, body: object) =>
  validateSync(plainToInstance(cls, body)).map((e) => e.property);

describe('Required', () => {
  it('makes a property optional in the parent required in the subclass', () => {
    expect(errorsOf(CreateThing, {})).toEqual(['title']);
    expect(errorsOf(CreateThing, { title: 'Judul' })).toEqual([]);
    expect(errorsOf(UpdateThing, {})).toEqual([]);
  });

  it('is needed: without it the inherited @IsOptional lets a missing value through', () => {
    expect(errorsOf(CreateThingWithoutRequired, {})).toEqual([]);
  });
});
