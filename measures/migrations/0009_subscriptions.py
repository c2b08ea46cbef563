# E-mail alerts (measures/domain/subscriptions.py): subscriptions and what was mailed to each. Not public
# content: no history, no trigger on the content revision.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0008_related_documents'),
    ]

    operations = [
        migrations.CreateModel(
            name='Subscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='邮箱')),
                ('kind', models.CharField(choices=[('policy', '政策'), ('measure', '措施'), ('awards', '奖补查询'), ('search', '搜索')], max_length=10, verbose_name='关注什么')),
                ('target_id', models.BigIntegerField(default=0, verbose_name='对象编号')),
                ('query', models.CharField(blank=True, max_length=500, verbose_name='条件')),
                ('label', models.CharField(max_length=300, verbose_name='关注内容')),
                ('frequency', models.CharField(choices=[('instant', '即时'), ('daily', '每日汇总')], default='instant', max_length=10, verbose_name='频率')),
                ('language', models.CharField(default='zh-hans', max_length=10, verbose_name='邮件语言')),
                ('key', models.CharField(editable=False, max_length=32)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('last_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='上次发信')),
            ],
            options={
                'verbose_name': '关注',
                'verbose_name_plural': '关注',
                'ordering': ['pk'],
                'permissions': [('view_subscriber_address', '可查看关注者的邮箱地址')],
                'indexes': [models.Index(fields=['confirmed_at', 'created_at'], name='subscription_confirmed')],
                'constraints': [models.UniqueConstraint(fields=('email', 'kind', 'target_id', 'query'), name='one_subscription_per_target')],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=10)),
                ('history_id', models.BigIntegerField()),
                ('change_id', models.BigIntegerField(verbose_name='公开修改记录')),
                ('mailed', models.BooleanField(default=True, verbose_name='已发送')),
                ('sent_at', models.DateTimeField(verbose_name='处理时间')),
                ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='measures.subscription')),
            ],
            options={
                'verbose_name': '已发送的修改',
                'verbose_name_plural': '已发送的修改',
                'constraints': [models.UniqueConstraint(fields=('subscription', 'subject', 'history_id'), name='one_delivery_per_change_and_subscription')],
            },
        ),
    ]
