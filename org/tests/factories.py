from __future__ import annotations

import factory

from org.models import Department, Role, RoleGrant, Unit, UnitKind, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.WARD
    parent = factory.LazyAttribute(
        lambda o: (
            UnitFactory(kind=UnitKind.PROVINCE, parent=None)
            if o.kind not in (UnitKind.PROVINCE, UnitKind.CITY)
            else None
        )
    )


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Phòng số {n}")
    kind = "division"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def person_with_role(
    role: str, unit: Unit | None, department: Department | None = None, **kwargs
) -> User:
    user = UserFactory(unit=unit, department=department, **kwargs)
    RoleGrant.objects.create(
        user=user,
        role=role,
        unit=unit,
        department=department if role == Role.DEPARTMENT_HEAD else None,
    )
    return user
