from rest_framework import serializers

from common.masking import mask_phone
from organizations.models import Agency, StaffProfile


class AgencySerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Agency
        fields = (
            "id",
            "code",
            "name",
            "short_name",
            "name_en",
            "parent",
            "category",
            "category_name",
            "depth",
        )


class StaffSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = StaffProfile
        fields = ("id", "name", "agency", "post", "phone", "is_unit_head")

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)
